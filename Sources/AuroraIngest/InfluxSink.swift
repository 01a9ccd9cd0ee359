import AuroraCore

/// Reads InfluxDB line protocol: `measurement[,tag=v…] field=v[,field=v…] [timestamp]`.
///
/// Each numeric field becomes its own series named `measurement_field`, with the tags as labels
/// (`cpu,host=a usage_idle=93.5` → `cpu_usage_idle{host="a"}`). Floats, integers (`12i`) and unsigned
/// integers (`12u`) are values; booleans become 1 and 0; string fields are not numbers and are skipped
/// with a count. The timestamp's unit is read by magnitude (line protocol writes nanoseconds by
/// default); a line without one takes `defaultTimestamp`, and is an error without it.
struct InfluxSink: LineSink {
    var table: SeriesTable
    let name: String
    let options: IngestOptions
    private(set) var nonNumeric = 0
    private var scratch: [UInt8] = []

    init(table: SeriesTable, name: String, options: IngestOptions) {
        self.table = table
        self.name = name
        self.options = options
    }

    private func error(_ line: Int, _ column: Int, _ message: String) -> LocatedError {
        LocatedError(SourceLocation(file: name, line: line, column: column), message)
    }

    /// Index of the first unescaped `stop` byte (or a space) from `start`.
    @inline(__always)
    private static func scan(_ base: UnsafePointer<UInt8>, _ count: Int, from start: Int, stops: (UInt8, UInt8)) -> Int {
        var index = start
        while index < count {
            let byte = base[index]
            if byte == UInt8(ascii: "\\") { index += 2; continue }
            if byte == stops.0 || byte == stops.1 { return index }
            index += 1
        }
        return count
    }

    mutating func consume(line: UnsafeRawBufferPointer, number: Int) throws {
        guard let base = line.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        let count = line.count
        var start = 0
        while start < count && (base[start] == 0x20 || base[start] == 0x09) { start += 1 }
        if start == count || base[start] == UInt8(ascii: "#") { return }
        // Series part: measurement and tags, up to the first unescaped space.
        let seriesEnd = Self.scan(base, count, from: start, stops: (0x20, 0x20))
        guard seriesEnd < count else {
            throw error(number, count + 1, "no fields (expected measurement[,tag=value…] field=value[,…] [timestamp])")
        }
        var fieldsStart = seriesEnd
        while fieldsStart < count && base[fieldsStart] == 0x20 { fieldsStart += 1 }
        // Fields end at the first space outside a quoted string.
        var index = fieldsStart
        var inString = false
        while index < count {
            let byte = base[index]
            if byte == UInt8(ascii: "\\") { index += 2; continue }
            if byte == UInt8(ascii: "\"") { inString.toggle() } else if byte == 0x20 && !inString { break }
            index += 1
        }
        if inString { throw error(number, fieldsStart + 1, "unterminated string field (expected a closing \")") }
        let fieldsEnd = min(index, count)
        while index < count && base[index] == 0x20 { index += 1 }
        let timestamp: Int64
        if index < count {
            var end = index
            while end < count && base[end] != 0x20 { end += 1 }
            guard let parsed = TimestampParser.parse(base + index, end - index) else {
                throw error(number, index + 1, "invalid timestamp \(Snippet.quote(base + index, end - index)) (expected Unix nanoseconds, microseconds, milliseconds or seconds)")
            }
            timestamp = parsed
        } else if let fallback = options.defaultTimestamp {
            timestamp = fallback
        } else {
            throw error(number, count + 1, "line has no timestamp (expected … field=value timestamp, or a default timestamp)")
        }
        let seriesHash = RawKeyHash.hash(UnsafeRawPointer(base + start), seriesEnd - start)
        var fieldStart = fieldsStart
        while fieldStart < fieldsEnd {
            let equals = Self.scan(base, fieldsEnd, from: fieldStart, stops: (UInt8(ascii: "="), UInt8(ascii: ",")))
            guard equals < fieldsEnd, base[equals] == UInt8(ascii: "="), equals > fieldStart else {
                throw error(number, fieldStart + 1, "field without a value at \(Snippet.quote(base + fieldStart, min(fieldsEnd - fieldStart, 40))) (expected field=value)")
            }
            var valueEnd = equals + 1
            var isString = false
            if valueEnd < fieldsEnd && base[valueEnd] == UInt8(ascii: "\"") {
                isString = true
                valueEnd += 1
                while valueEnd < fieldsEnd && base[valueEnd] != UInt8(ascii: "\"") {
                    valueEnd += base[valueEnd] == UInt8(ascii: "\\") ? 2 : 1
                }
                valueEnd = min(valueEnd + 1, fieldsEnd)
            } else {
                while valueEnd < fieldsEnd && base[valueEnd] != UInt8(ascii: ",") { valueEnd += 1 }
            }
            defer { fieldStart = valueEnd + 1 }
            if isString {
                nonNumeric += 1
                continue
            }
            let value = try fieldValue(base, from: equals + 1, to: valueEnd, number: number)
            let fieldKey = UnsafeRawBufferPointer(start: base + fieldStart, count: equals - fieldStart)
            scratch.removeAll(keepingCapacity: true)
            scratch.append(contentsOf: UnsafeRawBufferPointer(start: base + start, count: seriesEnd - start))
            scratch.append(0x20)
            scratch.append(contentsOf: fieldKey)
            let hash = seriesHash ^ (RawKeyHash.hash(UnsafeRawPointer(base + fieldStart), equals - fieldStart) &* 31)
            let fileName = name
            let seriesStart = start
            let slot = try scratch.withUnsafeBytes { raw in
                try table.slot(raw: raw, hash: hash) {
                    try Self.makeKey(base, from: seriesStart, seriesEnd: seriesEnd, field: (fieldStart, equals), file: fileName, line: number)
                }
            }
            table.append(slot: slot, timestamp: timestamp, value: value)
        }
    }

    private func fieldValue(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int, number: Int) throws -> Double {
        var length = end - start
        guard length > 0 else { throw error(number, start + 1, "empty field value (expected a number, integer, boolean or string)") }
        switch base[start + length - 1] {
        case UInt8(ascii: "i"), UInt8(ascii: "u"):
            length -= 1
            if let integer = NumberParser.parseInteger(base + start, length) { return Double(integer) }
        case UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "f"), UInt8(ascii: "F"):
            let word = String(decoding: UnsafeBufferPointer(start: base + start, count: length), as: UTF8.self)
            switch word {
            case "t", "T", "true", "True", "TRUE": return 1
            case "f", "F", "false", "False", "FALSE": return 0
            default: break
            }
        default:
            if let value = NumberParser.parseDouble(base + start, length) { return value }
        }
        throw error(number, start + 1, "invalid field value \(Snippet.quote(base + start, end - start)) (expected a number, 12i, 12u, true/false or \"string\")")
    }

    private static func unescape(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> [UInt8] {
        var out: [UInt8] = []
        var index = start
        while index < end {
            if base[index] == UInt8(ascii: "\\") && index + 1 < end { index += 1 }
            out.append(base[index])
            index += 1
        }
        return out
    }

    private static func makeKey(_ base: UnsafePointer<UInt8>, from start: Int, seriesEnd: Int, field: (Int, Int),
                                file: String, line: Int) throws -> (SeriesKey, Bool) {
        func text(_ from: Int, _ to: Int) throws -> String {
            guard let decoded = String(validating: unescape(base, from: from, to: to), as: UTF8.self) else {
                throw LocatedError(SourceLocation(file: file, line: line, column: from + 1), "invalid UTF-8 (expected UTF-8 text)")
            }
            return decoded
        }
        let measurementEnd = scan(base, seriesEnd, from: start, stops: (UInt8(ascii: ","), 0x20))
        let measurement = try text(start, measurementEnd)
        var labels: [Label] = []
        var tagStart = measurementEnd + 1
        while tagStart < seriesEnd {
            let tagEnd = scan(base, seriesEnd, from: tagStart, stops: (UInt8(ascii: ","), 0x20))
            let equals = scan(base, tagEnd, from: tagStart, stops: (UInt8(ascii: "="), UInt8(ascii: "=")))
            guard equals < tagEnd, equals > tagStart else {
                throw LocatedError(SourceLocation(file: file, line: line, column: tagStart + 1),
                                   "tag without a value at \(Snippet.quote(base + tagStart, tagEnd - tagStart)) (expected tag=value)")
            }
            labels.append(Label(try text(tagStart, equals), try text(equals + 1, tagEnd)))
            tagStart = tagEnd + 1
        }
        let fieldName = try text(field.0, field.1)
        let metric = measurement + "_" + fieldName
        return (SeriesKey(name: metric, labels: labels), CounterName.declares(metric))
    }
}
