import AuroraCore

/// Renders series in any of the ingest formats: for round-trip tests, synthetic benchmark dumps and
/// exports. Output is flushed in blocks so a large dump never needs its whole text in memory.
///
/// Each format's mapping is the inverse of its reader: NAB writes the first series only (its name is
/// the file's), with `YYYY-MM-DD HH:MM:SS[.mmm]` timestamps; InfluxDB splits the metric name at its
/// last underscore into measurement and field (`cpu_usage_idle` → `cpu_usage usage…idle=`), using
/// field `value` for names without one; CloudWatch names results by `Label` = metric name and
/// `Id` = the `id` label (or `m1`, `m2`, …) and keeps no other labels. Non-finite values are written as
/// each format writes them (`NaN`), or skipped where the format has no spelling for them (JSON numbers).
package enum MetricWriter {
    /// Renders into one byte array (small outputs).
    package static func render(_ series: [Series], format: MetricFormat) -> [UInt8] {
        var out: [UInt8] = []
        write(series, format: format) { out.append(contentsOf: $0) }
        return out
    }

    /// Renders block by block; `flush` receives each block (about `blockSize` bytes) in order.
    package static func write(_ series: [Series], format: MetricFormat, blockSize: Int = 1 << 22,
                             flush: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        var writer = BlockWriter(blockSize: blockSize)
        switch format {
        case .nabCSV:
            writer.text("timestamp,value\n")
            if let first = series.first {
                for index in first.timestamps.indices {
                    writer.calendar(first.timestamps[index], separator: " ", zone: false)
                    writer.byte(UInt8(ascii: ","))
                    writer.number(first.values[index])
                    writer.byte(0x0A)
                    try writer.flushIfFull(flush)
                }
            }
        case .longCSV:
            let labelNames = Array(Set(series.flatMap { $0.key.labels.map(\.name) })).sorted()
            writer.text((["timestamp", "metric", "value"] + labelNames).map(csvField).joined(separator: ",") + "\n")
            for one in series {
                let suffix = labelNames.map { csvField(one.key[label: $0] ?? "") }.joined(separator: ",")
                let middle = "," + csvField(one.key.name) + ","
                let tail = suffix.isEmpty ? "\n" : "," + suffix + "\n"
                for index in one.timestamps.indices {
                    writer.integer(one.timestamps[index])
                    writer.text(middle)
                    writer.number(one.values[index])
                    writer.text(tail)
                    try writer.flushIfFull(flush)
                }
            }
        case .wideCSV:
            writer.text((["timestamp"] + series.map { csvField($0.key.description) }).joined(separator: ",") + "\n")
            var cursors = Array(repeating: 0, count: series.count)
            while true {
                var next = Int64.max
                for (column, one) in series.enumerated() where cursors[column] < one.count {
                    next = min(next, one.timestamps[cursors[column]])
                }
                if next == .max { break }
                writer.integer(next)
                for (column, one) in series.enumerated() {
                    writer.byte(UInt8(ascii: ","))
                    if cursors[column] < one.count && one.timestamps[cursors[column]] == next {
                        writer.number(one.values[cursors[column]])
                        cursors[column] += 1
                    }
                }
                writer.byte(0x0A)
                try writer.flushIfFull(flush)
            }
        case .jsonLines:
            for one in series {
                let prefix = "\",\"metric\":" + jsonString(one.key.name)
                    + (one.key.labels.isEmpty ? "" : ",\"labels\":" + jsonLabels(one.key.labels, includeName: nil)) + ",\"value\":"
                for index in one.timestamps.indices where one.values[index].isFinite {
                    writer.text("{\"ts\":\"")
                    writer.calendar(one.timestamps[index], separator: "T", zone: true)
                    writer.text(prefix)
                    writer.number(one.values[index])
                    writer.text("}\n")
                    try writer.flushIfFull(flush)
                }
            }
        case .prometheusJSON:
            writer.text("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[")
            for (position, one) in series.enumerated() {
                writer.text(position == 0 ? "{\"metric\":" : ",{\"metric\":")
                writer.text(jsonLabels(one.key.labels, includeName: one.key.name))
                writer.text(",\"values\":[")
                for index in one.timestamps.indices {
                    if index > 0 { writer.byte(UInt8(ascii: ",")) }
                    writer.byte(UInt8(ascii: "["))
                    writer.seconds(one.timestamps[index])
                    writer.text(",\"")
                    writer.number(one.values[index])
                    writer.text("\"]")
                    try writer.flushIfFull(flush)
                }
                writer.text("]}")
            }
            writer.text("]}}\n")
        case .exposition:
            for one in series {
                writer.text("# TYPE \(one.key.name) \(CounterName.declares(one.key.name) ? "counter" : "gauge")\n")
                let prefix = one.key.description + " "
                for index in one.timestamps.indices {
                    writer.text(prefix)
                    writer.number(one.values[index])
                    writer.byte(0x20)
                    writer.integer(one.timestamps[index])
                    writer.byte(0x0A)
                    try writer.flushIfFull(flush)
                }
            }
        case .influx:
            for one in series {
                var measurement = one.key.name, field = "value"
                if let underscore = one.key.name.lastIndex(of: "_"), underscore != one.key.name.startIndex,
                   one.key.name.index(after: underscore) != one.key.name.endIndex {
                    measurement = String(one.key.name[..<underscore])
                    field = String(one.key.name[one.key.name.index(after: underscore)...])
                }
                var prefix = influxEscape(measurement, quoteEquals: false)
                for label in one.key.labels {
                    prefix += "," + influxEscape(label.name, quoteEquals: true) + "=" + influxEscape(label.value, quoteEquals: true)
                }
                prefix += " " + influxEscape(field, quoteEquals: true) + "="
                for index in one.timestamps.indices where one.values[index].isFinite {
                    writer.text(prefix)
                    writer.number(one.values[index])
                    writer.byte(0x20)
                    writer.integer(one.timestamps[index])
                    writer.text("000000\n")
                    try writer.flushIfFull(flush)
                }
            }
        case .cloudWatch:
            writer.text("{\n    \"MetricDataResults\": [")
            for (position, one) in series.enumerated() {
                let identifier = one.key[label: "id"] ?? "m\(position + 1)"
                writer.text(position == 0 ? "\n        {\n" : ",\n        {\n")
                writer.text("            \"Id\": \(jsonString(identifier)),\n            \"Label\": \(jsonString(one.key.name)),\n")
                writer.text("            \"Timestamps\": [")
                let finite = one.timestamps.indices.filter { one.values[$0].isFinite }
                for (order, index) in finite.enumerated() {
                    writer.text(order == 0 ? "\n                \"" : ",\n                \"")
                    writer.calendar(one.timestamps[index], separator: "T", zone: true)
                    writer.byte(UInt8(ascii: "\""))
                    try writer.flushIfFull(flush)
                }
                writer.text("\n            ],\n            \"Values\": [")
                for (order, index) in finite.enumerated() {
                    writer.text(order == 0 ? "\n                " : ",\n                ")
                    writer.number(one.values[index])
                    try writer.flushIfFull(flush)
                }
                writer.text("\n            ],\n            \"StatusCode\": \"Complete\"\n        }")
            }
            writer.text("\n    ],\n    \"Messages\": []\n}\n")
        }
        try writer.finish(flush)
    }

    private static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return text }
        return "\"" + text.replacingOccurrences("\"", "\"\"") + "\""
    }

    private static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default:
                if scalar.value < 0x20 { out += "\\u00" + (scalar.value < 16 ? "0" : "") + String(scalar.value, radix: 16) } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    private static func jsonLabels(_ labels: [Label], includeName: String?) -> String {
        var parts: [String] = []
        if let includeName { parts.append("\"__name__\":" + jsonString(includeName)) }
        for label in labels { parts.append(jsonString(label.name) + ":" + jsonString(label.value)) }
        return "{" + parts.joined(separator: ",") + "}"
    }

    private static func influxEscape(_ text: String, quoteEquals: Bool) -> String {
        var out = ""
        for character in text {
            if character == "," || character == " " || (quoteEquals && character == "=") || character == "\\" { out.append("\\") }
            out.append(character)
        }
        return out
    }
}

private extension String {
    func replacingOccurrences(_ target: Character, _ replacement: String) -> String {
        var out = ""
        for character in self { if character == target { out += replacement } else { out.append(character) } }
        return out
    }
}
