import AuroraCore
import Foundation

/// Decides an input's format from its first bytes, and refuses inputs that are not text metrics
/// (empty, gzip, binary, invalid UTF-8) with a located message.
enum FormatSniffer {
    /// What the content looks like. CSV layouts are told apart by the header, later.
    enum Guess: Equatable {
        case format(MetricFormat)
        case csv
    }

    static let gzipMessage = "gzip-compressed input: decompress first (zcat FILE | aurora … -)"

    /// Checks the prefix for inputs aurora cannot read at all. Throws a fatal located error.
    static func refuseUnreadable(_ prefix: UnsafeRawBufferPointer, name: String) throws {
        let bytes = prefix.assumingMemoryBound(to: UInt8.self)
        if bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B {
            throw FatalInputError(error: LocatedError(SourceLocation(file: name, line: 1, column: 1), gzipMessage))
        }
        guard let base = prefix.baseAddress else { return }
        func location(_ offset: Int) -> SourceLocation {
            TextPosition.locate(base.assumingMemoryBound(to: UInt8.self), prefix.count, offset: offset, file: name)
        }
        var index = 0
        let count = bytes.count
        while index < count {
            // Eight ASCII bytes without a NUL at a time: the common case.
            if index + 8 <= count {
                let word = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                let hasZero = (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
                if word & 0x8080_8080_8080_8080 == 0 && hasZero == 0 {
                    index += 8
                    continue
                }
            }
            let byte = bytes[index]
            if byte == 0 {
                throw FatalInputError(error: LocatedError(location(index), "binary data: NUL byte (expected text metrics)"))
            }
            if byte < 0x80 {
                index += 1
                continue
            }
            let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC2 ? 2 : 0
            // A sequence cut by the end of the prefix is judged with the next chunk (by the parsers).
            if length > 0 && index + length > count { break }
            var valid = length > 0 && index + length <= count && byte <= 0xF4
            if valid {
                for offset in 1..<length where bytes[index + offset] & 0xC0 != 0x80 { valid = false }
                if valid && length == 3 {
                    let second = bytes[index + 1]
                    if (byte == 0xE0 && second < 0xA0) || (byte == 0xED && second > 0x9F) { valid = false }
                }
                if valid && length == 4 {
                    let second = bytes[index + 1]
                    if (byte == 0xF0 && second < 0x90) || (byte == 0xF4 && second > 0x8F) { valid = false }
                }
            }
            guard valid else {
                throw FatalInputError(error: LocatedError(
                    location(index),
                    "invalid UTF-8 byte 0x\(String(byte, radix: 16, uppercase: true)) (expected UTF-8 text; binary data?)"))
            }
            index += length
        }
    }

    /// The format the prefix looks like, or a fatal error for an empty or unrecognisable input.
    static func guess(_ prefix: UnsafeRawBufferPointer, name: String) throws -> Guess {
        let bytes = prefix.assumingMemoryBound(to: UInt8.self)
        var index = 0
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { index = 3 }
        while index < bytes.count && (bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09) {
            index += 1
        }
        guard index < bytes.count else {
            throw FatalInputError(error: LocatedError(SourceLocation(file: name, line: 1, column: 1),
                                                      "empty input (expected metric data)"))
        }
        // Carriage returns alone (old Mac line ends) make the whole input one line: say so, instead of
        // "a header but no data rows". Judged on a prefix without any newline.
        if let firstReturn = (index..<bytes.count).first(where: { bytes[$0] == 0x0D }),
           firstReturn + 1 < bytes.count, !bytes[index...].contains(0x0A) {
            throw FatalInputError(error: LocatedError(SourceLocation(file: name, line: 1, column: firstReturn + 1),
                                                      "lines end with a carriage return alone (expected \\n or \\r\\n line ends: convert with tr '\\r' '\\n')"))
        }
        if bytes[index] == UInt8(ascii: "{") {
            // `promtool tsdb dump`: exposition lines whose metric name is the `__name__` label.
            if startsWith(bytes, at: index + 1, "__name__=") { return .format(.exposition) }
            let window = UnsafeBufferPointer(rebasing: bytes[index..<min(bytes.count, index + 65536)])
            func has(_ word: String) -> Bool { contains(window, Array(word.utf8)) }
            if has("\"resultType\"") || (has("\"status\"") && (has("\"data\"") || has("\"errorType\""))) {
                return .format(.prometheusJSON)
            }
            if has("\"MetricDataResults\"") { return .format(.cloudWatch) }
            return .format(.jsonLines)
        }
        // The first lines decide; 8 KiB holds plenty of them (Character-wise splitting is slow).
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<min(bytes.count, index + 8192)]), as: UTF8.self)
        if bytes[index] == UInt8(ascii: "[") {
            throw FatalInputError(error: LocatedError(SourceLocation(file: name, line: 1, column: 1),
                                                      "JSON array at the top level (expected a Prometheus API response, CloudWatch output or one JSON object per line)"))
        }
        var sawTypeComment = false
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: true).prefix(200) {
            let line = rawLine.trimmingPrefix(while: { $0 == " " || $0 == "\t" })
            if line.isEmpty || line == "\r" { continue }
            if line.hasPrefix("#") {
                if line.hasPrefix("# TYPE") || line.hasPrefix("# HELP") || line.hasPrefix("# EOF") { sawTypeComment = true }
                continue
            }
            if looksLikeExposition(line) { return .format(.exposition) }
            if looksLikeInflux(line) { return .format(.influx) }
            return sawTypeComment ? .format(.exposition) : .csv
        }
        return sawTypeComment ? .format(.exposition) : .csv
    }

    private static func startsWith(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int, _ word: String) -> Bool {
        let word = Array(word.utf8)
        guard start + word.count <= bytes.count else { return false }
        return word.indices.allSatisfy { bytes[start + $0] == word[$0] }
    }

    /// Whether `needle` occurs in `haystack` (bytes, no allocation).
    private static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, haystack.count >= needle.count else { return false }
        var index = 0
        while index + needle.count <= haystack.count {
            if haystack[index] == first {
                var matched = true
                for offset in 1..<needle.count where haystack[index + offset] != needle[offset] {
                    matched = false
                    break
                }
                if matched { return true }
            }
            index += 1
        }
        return false
    }

    /// `name{…} value …` or `name value …`: a metric name, optional labels, whitespace, a number.
    private static func looksLikeExposition(_ line: Substring) -> Bool {
        var rest = line[...]
        let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" }
        guard !name.isEmpty, let first = name.first, !first.isNumber else { return false }
        rest = rest.dropFirst(name.count)
        if rest.first == "{" {
            // Braces after a metric name only occur in the exposition format.
            return rest.contains("}")
        }
        guard rest.first == " " || rest.first == "\t" else { return false }
        let value = rest.drop { $0 == " " || $0 == "\t" }.prefix { $0 != " " && $0 != "\t" && $0 != "\r" }
        return !value.isEmpty && Double(value.replacingOccurrences(of: "+Inf", with: "inf")) != nil
    }

    /// `measurement[,tags] field=value[,…] [timestamp]`: a first word without braces, then a word with `=`.
    private static func looksLikeInflux(_ line: Substring) -> Bool {
        let words = unescapedWords(line, limit: 3)
        guard words.count >= 2, !words[0].contains("{"), !words[0].hasPrefix("\"") else { return false }
        return words[1].contains("=") && !words[0].contains("=") || words[0].contains(",") && words[1].contains("=")
    }

    /// Splits at spaces that are not escaped: line protocol writes a space inside a measurement, tag
    /// key or tag value as `\ ` (`cpu,host=web\ 1 usage=2`), which is one word, not two.
    private static func unescapedWords(_ line: Substring, limit: Int) -> [Substring] {
        var words: [Substring] = []
        var start = line.startIndex
        var index = line.startIndex
        while index < line.endIndex && words.count < limit - 1 {
            let character = line[index]
            if character == "\\" {
                index = line.index(after: index)
                if index < line.endIndex { index = line.index(after: index) }
                continue
            }
            if character == " " {
                if start < index { words.append(line[start..<index]) }
                start = line.index(after: index)
            }
            index = line.index(after: index)
        }
        if start < line.endIndex { words.append(line[start...]) }
        return words
    }
}
