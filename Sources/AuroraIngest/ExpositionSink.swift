import AuroraCore

/// Reads the Prometheus text exposition format and OpenMetrics, one or more scrapes concatenated.
///
/// `# TYPE name counter` lines mark counters for `--rate` (histogram and summary `_bucket`, `_count`
/// and `_sum` series count as counters too); `# HELP`, `# UNIT`, `# EOF` and other comments are
/// skipped, as are OpenMetrics exemplars after ` # `. Timestamps are read by magnitude, so Prometheus
/// milliseconds and OpenMetrics seconds both work. A sample without a timestamp takes
/// `defaultTimestamp`, and is an error without one. `promtool tsdb dump`'s lines, whose metric name is the
/// `__name__` label (`{__name__="up", job="node"} 1 1700000000000`), are read the same way.
struct ExpositionSink: LineSink {
    var table: SeriesTable
    let name: String
    let options: IngestOptions
    private var types: [String: String] = [:]
    private(set) var samples = 0

    init(table: SeriesTable, name: String, options: IngestOptions) {
        self.table = table
        self.name = name
        self.options = options
    }

    private func error(_ line: Int, _ column: Int, _ message: String) -> LocatedError {
        LocatedError(SourceLocation(file: name, line: line, column: column), message)
    }

    @inline(__always)
    private static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F || byte == 0x3A
    }

    mutating func consume(line: UnsafeRawBufferPointer, number: Int) throws {
        guard let base = line.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        let count = line.count
        var index = 0
        while index < count && (base[index] == 0x20 || base[index] == 0x09) { index += 1 }
        if index == count { return }
        if base[index] == UInt8(ascii: "#") {
            readComment(base, count, from: index)
            return
        }
        let nameStart = index
        while index < count && Self.isNameByte(base[index]) { index += 1 }
        // `promtool tsdb dump` writes the name as a label: `{__name__="up", job="node"} 1 1700000000000`.
        let nameInLabels = index == nameStart && base[index] == UInt8(ascii: "{")
        guard index > nameStart || nameInLabels, base[nameStart] < 0x30 || base[nameStart] > 0x39 else {
            throw error(number, nameStart + 1, "invalid metric name at \(Snippet.quote(base + nameStart, min(count - nameStart, 20))) (expected name{labels} value [timestamp])")
        }
        let nameEnd = index
        var labelsStart = -1
        if index < count && base[index] == UInt8(ascii: "{") {
            labelsStart = index
            index = try skipLabels(base, count, from: index, number: number)
        }
        let keyEnd = index
        guard index < count && (base[index] == 0x20 || base[index] == 0x09) else {
            throw error(number, index + 1, index >= count ? "missing value (expected name{labels} value [timestamp])"
                        : "unexpected \(Snippet.quote(base + index, 1)) (expected a space before the value)")
        }
        while index < count && (base[index] == 0x20 || base[index] == 0x09) { index += 1 }
        let valueStart = index
        while index < count && base[index] != 0x20 && base[index] != 0x09 { index += 1 }
        guard index > valueStart else { throw error(number, valueStart + 1, "missing value (expected a number after the series)") }
        guard let value = NumberParser.parseDouble(base + valueStart, index - valueStart) else {
            throw error(number, valueStart + 1, "invalid value \(Snippet.quote(base + valueStart, index - valueStart)) (expected a number, NaN, +Inf or -Inf)")
        }
        while index < count && (base[index] == 0x20 || base[index] == 0x09) { index += 1 }
        var timestamp: Int64
        if index < count && base[index] != UInt8(ascii: "#") {
            let timestampStart = index
            while index < count && base[index] != 0x20 && base[index] != 0x09 { index += 1 }
            guard let parsed = TimestampParser.parse(base + timestampStart, index - timestampStart) else {
                throw error(number, timestampStart + 1, "invalid timestamp \(Snippet.quote(base + timestampStart, index - timestampStart)) (expected Unix milliseconds or seconds)")
            }
            timestamp = parsed
            while index < count && (base[index] == 0x20 || base[index] == 0x09) { index += 1 }
            if index < count && base[index] != UInt8(ascii: "#") {
                throw error(number, index + 1, "unexpected \(Snippet.quote(base + index, count - index)) after the timestamp (expected the end of the line or an exemplar # {…})")
            }
        } else if let fallback = options.defaultTimestamp {
            timestamp = fallback
        } else {
            throw error(number, index + 1, "sample has no timestamp (expected name{labels} value timestamp, or a default timestamp for the scrape)")
        }
        let raw = UnsafeRawBufferPointer(start: base + nameStart, count: keyEnd - nameStart)
        let fileName = name
        let knownTypes = types
        let slot = try table.slot(raw: raw, hash: RawKeyHash.hash(raw.baseAddress ?? UnsafeRawPointer(base), raw.count)) {
            guard var metric = String(validating: UnsafeBufferPointer(start: base + nameStart, count: nameEnd - nameStart), as: UTF8.self) else {
                throw LocatedError(SourceLocation(file: fileName, line: number, column: nameStart + 1), "invalid metric name (expected UTF-8 text)")
            }
            var labels: [Label] = []
            if labelsStart >= 0 {
                labels = try Self.parseLabels(base, from: labelsStart, to: keyEnd, file: fileName, line: number)
            }
            if nameInLabels {
                guard let named = labels.firstIndex(where: { $0.name == "__name__" }) else {
                    throw LocatedError(SourceLocation(file: fileName, line: number, column: nameStart + 1),
                                       "series without a metric name (expected name{labels} or {__name__=\"name\", labels})")
                }
                metric = labels.remove(at: named).value
            }
            return (SeriesKey(name: metric, labels: labels), Self.isCounter(metric, types: knownTypes))
        }
        samples += 1
        table.append(slot: slot, timestamp: timestamp, value: value)
    }

    private mutating func readComment(_ base: UnsafePointer<UInt8>, _ count: Int, from start: Int) {
        let text = String(decoding: UnsafeBufferPointer(start: base + start, count: count - start), as: UTF8.self)
        let words = text.split(separator: " ", omittingEmptySubsequences: true)
        guard words.count >= 4, words[0] == "#", words[1] == "TYPE" else { return }
        types[String(words[2])] = words[3].lowercased()
    }

    /// Whether a metric is a counter by its `# TYPE` (own name, OpenMetrics family without `_total`,
    /// or a histogram/summary's cumulative series).
    static func isCounter(_ metric: String, types: [String: String]) -> Bool {
        if types[metric] == "counter" { return true }
        if let family = CounterName.family(of: metric), types[family] == "counter" { return true }
        for suffix in ["_bucket", "_count", "_sum"] where metric.hasSuffix(suffix) {
            let family = types[String(metric.dropLast(suffix.count))]
            if family == "histogram" || family == "summary" { return true }
        }
        return false
    }

    /// Skips `{…}` honouring quoted values; returns the index after `}`.
    private func skipLabels(_ base: UnsafePointer<UInt8>, _ count: Int, from start: Int, number: Int) throws -> Int {
        var index = start + 1
        var inQuotes = false
        while index < count {
            let byte = base[index]
            if inQuotes {
                if byte == UInt8(ascii: "\\") { index += 2; continue }
                if byte == UInt8(ascii: "\"") { inQuotes = false }
            } else if byte == UInt8(ascii: "\"") {
                inQuotes = true
            } else if byte == UInt8(ascii: "}") {
                return index + 1
            }
            index += 1
        }
        throw error(number, start + 1, inQuotes ? "unterminated label value (expected a closing \")" : "unterminated label set (expected '}')")
    }

    /// Parses `{a="x",b="y"}` between `start` (the brace) and `end` (after the closing brace).
    static func parseLabels(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int, file: String, line: Int) throws -> [Label] {
        func fail(_ at: Int, _ message: String) -> LocatedError {
            LocatedError(SourceLocation(file: file, line: line, column: at + 1), message)
        }
        var labels: [Label] = []
        var index = start + 1
        let close = end - 1
        while true {
            while index < close && (base[index] == 0x20 || base[index] == UInt8(ascii: ",")) { index += 1 }
            if index >= close { break }
            let labelStart = index
            while index < close && isNameByte(base[index]) { index += 1 }
            guard index > labelStart else { throw fail(index, "unexpected \(Snippet.quote(base + index, 1)) (expected a label name)") }
            let labelName = String(decoding: UnsafeBufferPointer(start: base + labelStart, count: index - labelStart), as: UTF8.self)
            while index < close && base[index] == 0x20 { index += 1 }
            guard index < close && base[index] == UInt8(ascii: "=") else { throw fail(index, "expected '=' after label \(labelName)") }
            index += 1
            while index < close && base[index] == 0x20 { index += 1 }
            guard index < close && base[index] == UInt8(ascii: "\"") else { throw fail(index, "label \(labelName) has no quoted value (expected \(labelName)=\"…\")") }
            index += 1
            var value: [UInt8] = []
            while index < close && base[index] != UInt8(ascii: "\"") {
                if base[index] == UInt8(ascii: "\\") && index + 1 < close {
                    index += 1
                    value.append(base[index] == UInt8(ascii: "n") ? 0x0A : base[index])
                } else {
                    value.append(base[index])
                }
                index += 1
            }
            guard let text = String(validating: value, as: UTF8.self) else { throw fail(index, "invalid UTF-8 in label \(labelName) (expected UTF-8 text)") }
            index += 1
            if !text.isEmpty { labels.append(Label(labelName, text)) }
            while index < close && base[index] == 0x20 { index += 1 }
            if index < close && base[index] != UInt8(ascii: ",") {
                throw fail(index, "unexpected \(Snippet.quote(base + index, 1)) (expected ',' or '}')")
            }
        }
        return labels
    }
}
