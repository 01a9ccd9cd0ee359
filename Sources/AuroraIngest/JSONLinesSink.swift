import AuroraCore

/// Reads JSON lines: one object per line, `{"ts":…,"metric":"…","labels":{…},"value":…}`.
///
/// Field names: the timestamp is `ts` (or `timestamp`, `time`), a number (epoch, unit by magnitude) or
/// a string (ISO 8601 or epoch); the metric is `metric` (or `name`, `__name__`); `labels` is an optional
/// object of string values; `value` is a number, a numeric string (`"NaN"`, `"+Inf"` counted and
/// skipped) or `null` (counted and skipped). Other fields are ignored. Blank lines are skipped.
/// VictoriaMetrics' export lines, one series each, are read too (`JSONLinesSink+Export.swift`).
struct JSONLinesSink: LineSink {
    var table: SeriesTable
    let name: String
    private var scratch: [UInt8] = []

    init(table: SeriesTable, name: String) {
        self.table = table
        self.name = name
    }

    func error(_ line: Int, _ column: Int, _ message: String) -> LocatedError {
        LocatedError(SourceLocation(file: name, line: line, column: column), message)
    }

    mutating func consume(line: UnsafeRawBufferPointer, number: Int) throws {
        guard let base = line.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        var cursor = JSONCursor(base: base, count: line.count)
        if cursor.peek() == nil { return }
        var timestamp: Int64?
        var metric: JSONCursor.Span?
        var labelsStart = -1, labelsEnd = -1
        var value: Double?
        var sawValue = false
        var export = ExportedLine()
        do throws(JSONCursor.Failure) {
            try cursor.beginObject("'{' (one JSON object per line)")
            var first = true
            while let key = try cursor.nextKey(first: &first) {
                if cursor.equals(key, "metric") && cursor.peek() == UInt8(ascii: "{") {
                    export.labels = cursor.position
                    try cursor.skipValue()
                } else if cursor.equals(key, "values") && cursor.peek() == UInt8(ascii: "[") {
                    export.values = cursor.position
                    try cursor.skipValue()
                } else if cursor.equals(key, "timestamps") && cursor.peek() == UInt8(ascii: "[") {
                    export.timestamps = cursor.position
                    try cursor.skipValue()
                } else if cursor.equals(key, "ts") || cursor.equals(key, "timestamp") || cursor.equals(key, "time") {
                    timestamp = try cursor.readTimestamp()
                } else if cursor.equals(key, "metric") || cursor.equals(key, "name") || cursor.equals(key, "__name__") {
                    metric = try cursor.readString()
                } else if cursor.equals(key, "value") {
                    value = try cursor.readFlexibleNumber("value")
                    sawValue = true
                } else if cursor.equals(key, "labels") {
                    guard cursor.peek() == UInt8(ascii: "{") else { throw cursor.fail("\"labels\" is not an object (expected \"labels\":{\"name\":\"value\"})") }
                    labelsStart = cursor.position
                    try cursor.skipValue()
                    labelsEnd = cursor.position
                } else {
                    try cursor.skipValue()
                }
            }
            if cursor.peek() != nil { throw cursor.fail("unexpected \(cursor.describeHere()) after the object (expected one JSON object per line)") }
        } catch let failure {
            throw error(number, failure.offset + 1, failure.message)
        }
        if export.labels >= 0 {
            try appendExported(export, line: line, number: number)
            return
        }
        guard let timestamp else { throw error(number, 1, "object has no \"ts\" (expected {\"ts\":…,\"metric\":…,\"value\":…})") }
        guard let metric else { throw error(number, 1, "object has no \"metric\" (expected {\"ts\":…,\"metric\":…,\"value\":…})") }
        guard sawValue else { throw error(number, 1, "object has no \"value\" (expected {\"ts\":…,\"metric\":…,\"value\":…})") }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(start: base + metric.start, count: metric.count))
        if labelsStart >= 0 {
            scratch.append(0x1F)
            scratch.append(contentsOf: UnsafeBufferPointer(start: base + labelsStart, count: labelsEnd - labelsStart))
        }
        let fileName = name
        let reader = cursor
        let slot = try scratch.withUnsafeBytes { raw in
            try table.slot(raw: raw, hash: RawKeyHash.hash(raw.baseAddress ?? UnsafeRawPointer(base), raw.count)) {
                guard let decoded = reader.text(metric), !decoded.isEmpty else {
                    throw LocatedError(SourceLocation(file: fileName, line: number, column: metric.start + 1),
                                       "empty or invalid metric name (expected a UTF-8 metric name)")
                }
                let metricName: String
                do throws(JSONCursor.Failure) {
                    metricName = try reader.nameText(metric, "the metric name")
                } catch let failure {
                    throw LocatedError(SourceLocation(file: fileName, line: number, column: failure.offset + 1), failure.message)
                }
                var labels: [Label] = []
                if labelsStart >= 0 {
                    var labelCursor = JSONCursor(base: base, count: line.count, position: labelsStart)
                    do throws(JSONCursor.Failure) {
                        labels = try labelCursor.readLabels("labels")
                    } catch let failure {
                        throw LocatedError(SourceLocation(file: fileName, line: number, column: failure.offset + 1), failure.message)
                    }
                }
                return (SeriesKey(name: metricName, labels: labels), CounterName.declares(metricName))
            }
        }
        if let value { table.append(slot: slot, timestamp: timestamp, value: value) } else { table.countNonFinite(slot: slot) }
    }
}
