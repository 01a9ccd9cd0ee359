import AuroraCore

/// Line and column of a byte offset, computed only when an error is reported.
enum TextPosition {
    static func locate(_ base: UnsafePointer<UInt8>, _ count: Int, offset: Int, file: String) -> SourceLocation {
        var line = 1
        var lineStart = 0
        let end = min(offset, count)
        var index = 0
        while index < end {
            if base[index] == 0x0A {
                line += 1
                lineStart = index + 1
            }
            index += 1
        }
        return SourceLocation(file: file, line: line, column: end - lineStart + 1)
    }
}
