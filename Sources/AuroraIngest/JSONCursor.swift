import AuroraCore
import Foundation

/// A pull scanner over JSON bytes: the parsers walk the structure they expect and skip the rest,
/// without building a tree (a Prometheus matrix can hold millions of `[ts,"v"]` pairs).
///
/// Errors carry the byte offset; the caller turns it into a line and column (only when failing).
///
/// The input is either one buffer (a mapped file, bytes in memory) or a `JSONWindow` over a stream
/// (a pipe, inflated gzip) that slides forward as the cursor moves: offsets are absolute either way,
/// and a span stays readable until the next string or number is read.
struct JSONCursor {
    private(set) var base: UnsafePointer<UInt8>
    /// The end of the bytes available now (the whole input when there is no window).
    private(set) var count: Int
    var position: Int
    /// The streaming window, when the input is not one buffer.
    let window: JSONWindow?
    /// The start of the latest string or number: the window keeps it (and what follows) readable.
    private var pinned = 0
    /// For a memory-mapped file: drop pages already parsed every this many bytes (0: never), so a
    /// multi-gigabyte document does not stay resident. The cursor only moves forward; a page needed
    /// again (to locate an error) is read back from the file by the kernel.
    var releaseEvery = 0
    private var releasedUpTo = 0
    /// Newlines counted in released pages (counted before they are dropped, so the total line count
    /// does not read the whole file back in).
    private var newlinesReleased = 0

    /// A syntax or shape error at a byte offset.
    struct Failure: Error {
        let offset: Int
        let message: String
    }

    init(base: UnsafePointer<UInt8>, count: Int, position: Int = 0) {
        self.base = base
        self.count = count
        self.position = position
        window = nil
    }

    /// A cursor over a stream, read through `window`.
    init(window: JSONWindow) {
        self.window = window
        base = window.virtualBase
        count = window.end
        position = window.start
    }

    /// Reads more of a streamed input (keeping the pinned span); false at its end or without a window.
    @inline(never)
    private mutating func refill() -> Bool {
        guard let window else { return false }
        let advanced = window.advance(keeping: min(position, pinned))
        base = window.virtualBase
        count = window.end
        return advanced
    }

    /// The byte at an absolute offset at or after `position`, reading more when needed; nil past the end.
    @inline(__always)
    private mutating func byte(at index: Int) -> UInt8? {
        if index < count { return base[index] }
        while index >= count { guard refill() else { return nil } }
        return base[index]
    }

    /// Skips a UTF-8 byte order mark at the start.
    mutating func skipByteOrderMark() {
        if byte(at: position) == 0xEF && byte(at: position + 1) == 0xBB && byte(at: position + 2) == 0xBF { position += 3 }
    }

    /// Line and column (1-based, bytes) of an offset, for an error message.
    func locate(_ offset: Int) -> (line: Int, column: Int) {
        if let window { return window.locate(offset) }
        let location = TextPosition.locate(base, count, offset: offset, file: "")
        return (location.line, location.column)
    }

    /// A span of bytes inside the input (a string's content or a number's text).
    struct Span {
        let start: Int
        let end: Int
        let hasEscapes: Bool
        var count: Int { end - start }
    }

    static let maxDepth = 256

    @inline(__always)
    mutating func skipSpace() {
        while true {
            while position < count {
                let byte = base[position]
                guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return }
                position += 1
            }
            guard window != nil, refill() else { return }
        }
    }

    /// The next significant byte, or nil at the end.
    @inline(__always)
    mutating func peek() -> UInt8? {
        skipSpace()
        return position < count ? base[position] : nil
    }

    func describeHere() -> String {
        guard position < count else { return "end of input" }
        return Snippet.quote(base + position, 1)
    }

    func fail(_ message: String) -> Failure { Failure(offset: position, message: message) }

    @inline(__always)
    mutating func expect(_ byte: UInt8, _ what: String) throws(Failure) {
        guard peek() == byte else {
            throw fail(position >= count ? "truncated JSON: unexpected end of input (expected \(what))"
                                         : "unexpected \(describeHere()) (expected \(what))")
        }
        position += 1
    }

    /// Reads a string and returns the span of its content (between the quotes).
    @inline(__always)
    mutating func readString() throws(Failure) -> Span {
        pinned = position
        try expect(UInt8(ascii: "\""), "a string")
        let start = position
        var hasEscapes = false
        repeat {
            while position < count {
                let byte = base[position]
                if byte == UInt8(ascii: "\"") {
                    position += 1
                    return Span(start: start, end: position - 1, hasEscapes: hasEscapes)
                }
                if byte == UInt8(ascii: "\\") {
                    hasEscapes = true
                    position += 2
                    continue
                }
                if byte < 0x20 {
                    throw fail(byte == 0x0A ? "unterminated string (expected a closing \")"
                                            : "control byte \(Snippet.quote(base + position, 1)) in a string (expected it escaped)")
                }
                position += 1
            }
        } while window != nil && refill()
        position = min(position, count)
        throw Failure(offset: count, message: "truncated JSON: unexpected end of input inside a string (expected a closing \")")
    }

    /// The decoded text of a string span; nil when it is not valid UTF-8 or holds an escape JSON does
    /// not have (`JSONStringContent`, shared with the Prometheus answer scanner).
    func text(_ span: Span) -> String? {
        let bytes = UnsafeBufferPointer(start: base + span.start, count: span.count)
        guard span.hasEscapes else { return String(validating: bytes, as: UTF8.self) }
        return try? JSONStringContent.decode(bytes)
    }

    /// The text of a string naming a series (a metric name, a label name or value): like `text`, but
    /// a failure instead of nil, and an escaped NUL (`\u0000`) is refused at the escape. A NUL would
    /// end the name early for every C API that reads it, so two series could end up as one.
    /// `invalidUTF8` places and words the invalid-UTF-8 failure (by default: at the opening quote, as `what`).
    func nameText(_ span: Span, _ what: String, invalidUTF8: (offset: Int, what: String)? = nil) throws(Failure) -> String {
        let bytes = UnsafeBufferPointer(start: base + span.start, count: span.count)
        let decoded: String
        do throws(JSONStringContent.Problem) {
            // Most names hold no escape: only validated, as `text` does.
            if span.hasEscapes {
                decoded = try JSONStringContent.decode(bytes)
            } else if let plain = String(validating: bytes, as: UTF8.self) {
                decoded = plain
            } else {
                throw .invalidUTF8
            }
        } catch .badEscape(let offset), .controlCharacter(let offset) {
            throw Failure(offset: span.start + offset,
                          message: "invalid escape in \(what) (expected \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX)")
        } catch {
            throw Failure(offset: invalidUTF8?.offset ?? span.start - 1,
                          message: "invalid UTF-8 in \(invalidUTF8?.what ?? what) (expected UTF-8 text)")
        }
        guard span.hasEscapes, decoded.utf8.contains(0) else { return decoded }
        var index = span.start
        while index + 1 < span.end {
            guard base[index] == UInt8(ascii: "\\") else {
                index += 1
                continue
            }
            if base[index + 1] == UInt8(ascii: "u"), index + 6 <= span.end,
               (2..<6).allSatisfy({ base[index + $0] == UInt8(ascii: "0") }) {
                break
            }
            index += 2
        }
        throw Failure(offset: index, message: "escaped NUL (\\u0000) in \(what) (expected text without NUL: series names and labels cannot hold one)")
    }

    /// Whether a string span equals an ASCII key (no allocation).
    @inline(__always)
    func equals(_ span: Span, _ key: StaticString) -> Bool {
        guard span.count == key.utf8CodeUnitCount, !span.hasEscapes else { return false }
        let keyBase = key.utf8Start
        for index in 0..<span.count where base[span.start + index] != keyBase[index] { return false }
        return true
    }

    /// Reads a JSON number and returns its span. Also takes the bare `NaN`, `Infinity` and
    /// `-Infinity` that Python's `json` module writes (not JSON, but common in dumps).
    @inline(__always)
    mutating func readNumberSpan() throws(Failure) -> Span {
        skipSpace()
        let start = position
        pinned = start
        var word = position
        if let sign = byte(at: word), sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { word += 1 }
        if let letter = byte(at: word), letter == UInt8(ascii: "N") || letter == UInt8(ascii: "I") {
            while let next = byte(at: word), (next | 0x20) >= UInt8(ascii: "a") && (next | 0x20) <= UInt8(ascii: "z") { word += 1 }
            position = word
            return Span(start: start, end: position, hasEscapes: false)
        }
        while let byte = byte(at: position) {
            let isNumberByte = (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
            if !isNumberByte { break }
            position += 1
        }
        guard position > start else {
            throw fail(position >= count ? "truncated JSON: unexpected end of input (expected a number)"
                                         : "unexpected \(describeHere()) (expected a number)")
        }
        return Span(start: start, end: position, hasEscapes: false)
    }

    /// Reads a number, or a string holding a number (Prometheus writes values as strings).
    /// Returns nil for `null`.
    @inline(__always)
    mutating func readFlexibleNumber(_ what: String) throws(Failure) -> Double? {
        let here = position
        switch peek() {
        case UInt8(ascii: "\""):
            let span = try readString()
            guard let value = NumberParser.parseDouble(base + span.start, span.count) else {
                throw Failure(offset: span.start - 1, message: "invalid \(what) \(Snippet.quote(base + span.start, span.count)) (expected a number)")
            }
            return value
        case UInt8(ascii: "n"):
            try literal("null")
            return nil
        default:
            let span = try readNumberSpan()
            guard let value = NumberParser.parseDouble(base + span.start, span.count) else {
                throw Failure(offset: here, message: "invalid \(what) \(Snippet.quote(base + span.start, span.count)) (expected a number)")
            }
            return value
        }
    }

    /// Reads a timestamp written as a number (epoch, unit by magnitude) or a string (ISO 8601 or epoch).
    mutating func readTimestamp() throws(Failure) -> Int64 {
        if peek() == UInt8(ascii: "\"") {
            let span = try readString()
            guard let timestamp = TimestampParser.parse(base + span.start, span.count) else {
                throw Failure(offset: span.start - 1, message: "invalid timestamp \(Snippet.quote(base + span.start, span.count)) (\(TimestampParser.expected))")
            }
            return timestamp
        }
        let span = try readNumberSpan()
        guard let timestamp = TimestampParser.parse(base + span.start, span.count) else {
            throw Failure(offset: span.start, message: "invalid timestamp \(Snippet.quote(base + span.start, span.count)) (\(TimestampParser.expected))")
        }
        return timestamp
    }

    /// Reads `true`, `false` or `null`.
    mutating func literal(_ word: StaticString) throws(Failure) {
        skipSpace()
        let length = word.utf8CodeUnitCount
        while position + length > count && refill() {}
        guard position + length <= count else {
            throw Failure(offset: count, message: "truncated JSON: unexpected end of input (expected \(word))")
        }
        for index in 0..<length where base[position + index] != word.utf8Start[index] {
            throw fail("unexpected \(describeHere()) (expected \(word))")
        }
        position += length
    }

    /// Starts an object: after `{`. Then call `nextKey` until it returns nil.
    mutating func beginObject(_ what: String = "an object") throws(Failure) {
        try expect(UInt8(ascii: "{"), what == "an object" ? "'{'" : what)
    }

    /// The next key of an object (consuming its `:`), or nil after the closing `}`.
    mutating func nextKey(first: inout Bool) throws(Failure) -> Span? {
        if peek() == UInt8(ascii: "}") {
            position += 1
            return nil
        }
        if !first {
            guard peek() == UInt8(ascii: ",") else {
                throw fail(position >= count ? "truncated JSON: unexpected end of input (expected ',' or '}')"
                                             : "unexpected \(describeHere()) (expected ',' or '}')")
            }
            position += 1
        }
        first = false
        let key = try readString()
        try expect(UInt8(ascii: ":"), "':'")
        return key
    }

    /// Starts an array: after `[`. Then call `nextElement` until it returns false.
    mutating func beginArray(_ what: String = "'['") throws(Failure) {
        try expect(UInt8(ascii: "["), what)
    }

    private mutating func releaseParsedPages() {
        let page = 1 << 16
        let end = (position - page) / page * page
        guard end > releasedUpTo else { return }
        newlinesReleased += Self.newlines(base + releasedUpTo, end - releasedUpTo)
        madvise(UnsafeMutableRawPointer(mutating: base), end, MADV_DONTNEED)
        releasedUpTo = end
    }

    private static func newlines(_ start: UnsafePointer<UInt8>, _ length: Int) -> Int {
        var found = 0
        var cursor = UnsafeRawPointer(start)
        let end = cursor + length
        while cursor < end, let hit = memchr(cursor, 0x0A, cursor.distance(to: end)) {
            found += 1
            cursor = UnsafeRawPointer(hit) + 1
        }
        return found
    }

    /// Lines in the whole input (call at the end).
    func lineCount() -> Int {
        if let window { return window.lineCount() }
        let total = newlinesReleased + Self.newlines(base + releasedUpTo, count - releasedUpTo)
        return total + (count > 0 && base[count - 1] != 0x0A ? 1 : 0)
    }

    /// Whether another element follows (consuming the `,`), false after the closing `]`.
    @inline(__always)
    mutating func nextElement(first: inout Bool) throws(Failure) -> Bool {
        if releaseEvery > 0 && position &- releasedUpTo > releaseEvery { releaseParsedPages() }
        let byte = peek()
        if byte == UInt8(ascii: "]") {
            position += 1
            return false
        }
        if !first {
            guard byte == UInt8(ascii: ",") else {
                throw fail(position >= count ? "truncated JSON: unexpected end of input (expected ',' or ']')"
                                             : "unexpected \(describeHere()) (expected ',' or ']')")
            }
            position += 1
        }
        first = false
        return true
    }

    /// Skips any value, with a depth limit so hostile nesting cannot overflow the stack.
    mutating func skipValue(depth: Int = 0) throws(Failure) {
        guard depth < Self.maxDepth else { throw fail("JSON nested deeper than \(Self.maxDepth) levels (expected metric data)") }
        switch peek() {
        case UInt8(ascii: "{"):
            position += 1
            var first = true
            while try nextKey(first: &first) != nil { try skipValue(depth: depth + 1) }
        case UInt8(ascii: "["):
            position += 1
            var first = true
            while try nextElement(first: &first) { try skipValue(depth: depth + 1) }
        case UInt8(ascii: "\""): _ = try readString()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case nil: throw fail("truncated JSON: unexpected end of input (expected a value)")
        default:
            let span = try readNumberSpan()
            guard NumberParser.parseDouble(base + span.start, span.count) != nil else {
                throw Failure(offset: span.start, message: "invalid number \(Snippet.quote(base + span.start, span.count)) (expected a JSON number)")
            }
        }
    }

    /// Reads an object of string values (labels).
    mutating func readLabels(_ what: String) throws(Failure) -> [Label] {
        try beginObject("'{' starting \(what)")
        var labels: [Label] = []
        var first = true
        while let keySpan = try nextKey(first: &first) {
            let valueStart = position
            guard peek() == UInt8(ascii: "\"") else {
                throw fail("\(what) value is not a string (expected \"label\": \"value\")")
            }
            let valueSpan = try readString()
            // Each string decoded once; invalid UTF-8 in either is reported at the value.
            let name = try nameText(keySpan, "a label name of \(what)", invalidUTF8: (valueStart, what))
            let value = try nameText(valueSpan, "a label value of \(what)", invalidUTF8: (valueStart, what))
            if !value.isEmpty { labels.append(Label(name, value)) }
        }
        return labels
    }
}
