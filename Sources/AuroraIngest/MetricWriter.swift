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
public enum MetricWriter {
    /// Renders into one byte array (small outputs).
    public static func render(_ series: [Series], format: MetricFormat) -> [UInt8] {
        var out: [UInt8] = []
        write(series, format: format) { out.append(contentsOf: $0) }
        return out
    }

    /// Renders block by block; `flush` receives each block (about `blockSize` bytes) in order.
    public static func write(_ series: [Series], format: MetricFormat, blockSize: Int = 1 << 22,
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
                writer.text("# TYPE \(one.key.name) \(one.key.name.hasSuffix("_total") ? "counter" : "gauge")\n")
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

/// An append-only byte buffer with hand-written number formatting (no `String` per number).
struct BlockWriter {
    private(set) var bytes: [UInt8] = []
    let blockSize: Int

    init(blockSize: Int) {
        self.blockSize = blockSize
        bytes.reserveCapacity(blockSize + 4096)
    }

    mutating func byte(_ value: UInt8) { bytes.append(value) }

    mutating func text(_ value: String) { bytes.append(contentsOf: value.utf8) }

    mutating func integer(_ value: Int64) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[19 - count] = UInt8(magnitude % 10) + 48
                magnitude /= 10
                count += 1
            } while magnitude > 0
            bytes.append(contentsOf: buffer[(20 - count)...])
        }
    }

    /// Shortest text that reads back as the same Double; integers without a fraction.
    mutating func number(_ value: Double) {
        if value.isNaN {
            text("NaN")
        } else if value.isInfinite {
            text(value > 0 ? "+Inf" : "-Inf")
        } else if value == value.rounded(), abs(value) < 1e15 {
            integer(Int64(value))
        } else if abs(value) < 1e12, case let scaled = (value * 1000).rounded(), Double(Int64(scaled)) / 1000 == value {
            // Three decimals by hand: what most dumps hold, without a String per number.
            let thousandths = Int64(scaled)
            if thousandths < 0 { byte(UInt8(ascii: "-")) }
            let magnitude = thousandths.magnitude
            integer(Int64(magnitude / 1000))
            byte(UInt8(ascii: "."))
            let fraction = magnitude % 1000
            byte(UInt8(fraction / 100) + 48)
            byte(UInt8(fraction / 10 % 10) + 48)
            byte(UInt8(fraction % 10) + 48)
        } else {
            text(value.description)
        }
    }

    /// Unix ms as seconds with three decimals (Prometheus API style).
    mutating func seconds(_ millis: Int64) {
        let whole = millis >= 0 ? millis / 1000 : -((-millis + 999) / 1000)
        let fraction = millis - whole * 1000
        integer(whole)
        if fraction != 0 {
            byte(UInt8(ascii: "."))
            byte(UInt8(fraction / 100) + 48)
            byte(UInt8(fraction / 10 % 10) + 48)
            byte(UInt8(fraction % 10) + 48)
        }
    }

    /// `YYYY-MM-DD HH:MM:SS[.mmm]` (or with `T` and `Z`).
    mutating func calendar(_ millis: Int64, separator: Character, zone: Bool) {
        let days = millis >= 0 ? millis / 86_400_000 : -((-millis + 86_399_999) / 86_400_000)
        let inDay = millis - days * 86_400_000
        let (year, month, day) = civil(fromDays: days)
        func two(_ value: Int64) {
            byte(UInt8(value / 10) + 48)
            byte(UInt8(value % 10) + 48)
        }
        integer(year)
        byte(UInt8(ascii: "-")); two(month); byte(UInt8(ascii: "-")); two(day)
        text(String(separator))
        two(inDay / 3_600_000); byte(UInt8(ascii: ":")); two(inDay / 60000 % 60); byte(UInt8(ascii: ":")); two(inDay / 1000 % 60)
        let fraction = inDay % 1000
        if fraction != 0 {
            byte(UInt8(ascii: "."))
            byte(UInt8(fraction / 100) + 48)
            byte(UInt8(fraction / 10 % 10) + 48)
            byte(UInt8(fraction % 10) + 48)
        }
        if zone { byte(UInt8(ascii: "Z")) }
    }

    /// Inverse of `TimestampParser.daysFromCivil` (H. Hinnant).
    private func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    mutating func flushIfFull(_ flush: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        if bytes.count >= blockSize { try finish(flush) }
    }

    mutating func finish(_ flush: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        guard !bytes.isEmpty else { return }
        try bytes.withUnsafeBytes { try flush($0) }
        bytes.removeAll(keepingCapacity: true)
    }
}
