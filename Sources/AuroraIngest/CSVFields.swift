import Foundation

/// Splits one CSV line into field ranges without copying (RFC 4180 quoting within a line).
///
/// Ranges exclude the quotes; unquoted fields are trimmed of spaces. A doubled quote inside a quoted
/// field is marked so the text can be unescaped when it is turned into a label (never for numbers).
struct CSVFields {
    let delimiter: UInt8
    private(set) var starts: [Int] = []
    private(set) var ends: [Int] = []
    private(set) var escaped: [Bool] = []
    private(set) var count = 0

    init(delimiter: UInt8) { self.delimiter = delimiter }

    /// A split failure: 1-based column and message.
    struct Failure: Error {
        let column: Int
        let message: String
    }

    @inline(__always)
    private mutating func record(_ start: Int, _ end: Int, _ hasEscapes: Bool) {
        if count < starts.count {
            starts[count] = start
            ends[count] = end
            escaped[count] = hasEscapes
        } else {
            starts.append(start)
            ends.append(end)
            escaped.append(hasEscapes)
        }
        count += 1
    }

    /// Splits `base[0..<length]`; returns a failure for an unterminated or misplaced quote.
    @inline(__always)
    mutating func split(_ base: UnsafePointer<UInt8>, _ length: Int) -> Failure? {
        count = 0
        var index = 0
        let quote = UInt8(ascii: "\"")
        while true {
            var fieldStart = index
            while fieldStart < length && base[fieldStart] == 0x20 { fieldStart += 1 }
            if fieldStart < length && base[fieldStart] == quote {
                let open = fieldStart
                index = fieldStart + 1
                let contentStart = index
                var hasEscapes = false
                while true {
                    guard index < length else {
                        return Failure(column: open + 1, message: "unterminated quoted field (expected a closing \")")
                    }
                    if base[index] == quote {
                        if index + 1 < length && base[index + 1] == quote {
                            hasEscapes = true
                            index += 2
                            continue
                        }
                        break
                    }
                    index += 1
                }
                record(contentStart, index, hasEscapes)
                index += 1
                while index < length && base[index] == 0x20 { index += 1 }
                if index >= length { return nil }
                guard base[index] == delimiter else {
                    return Failure(column: index + 1, message: "unexpected \(Snippet.quote(base + index, 1)) after a closing quote (expected the delimiter or the end of the line)")
                }
                index += 1
                continue
            }
            // A plain loop: fields are short and the line is already in cache, so a library call
            // per field costs more than it saves.
            var end = index
            while end < length && base[end] != delimiter { end += 1 }
            var trimmedEnd = end
            while trimmedEnd > fieldStart && base[trimmedEnd - 1] == 0x20 { trimmedEnd -= 1 }
            record(fieldStart, trimmedEnd, false)
            if end >= length { return nil }
            index = end + 1
        }
    }

    /// The text of field `index`, unescaped; nil when it is not valid UTF-8.
    func text(_ index: Int, in base: UnsafePointer<UInt8>) -> String? {
        let bytes = UnsafeBufferPointer(start: base + starts[index], count: ends[index] - starts[index])
        guard escaped[index] else { return String(validating: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var position = 0
        while position < bytes.count {
            out.append(bytes[position])
            position += bytes[position] == UInt8(ascii: "\"") ? 2 : 1
        }
        return String(validating: out, as: UTF8.self)
    }
}
