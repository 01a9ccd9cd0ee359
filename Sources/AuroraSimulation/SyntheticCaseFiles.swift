import AuroraCore
import Foundation

/// The RCAEval-compatible files of a case, byte-identical on every platform.
extension SyntheticCase {
    /// `data.csv`: `time,<svc>_<metric>,…` in the case's shuffled column order; missing cells empty.
    package func dataCSV() -> String {
        var out = "time"
        for column in columns { out += ",\(column.name)" }
        out += "\n"
        for row in 0..<rowCount {
            out += String(time(ofRow: row))
            for column in columns {
                out += ","
                out += Self.format(column.values[row])
            }
            out += "\n"
        }
        return out
    }

    /// `inject_time.txt`: the fault onset in Unix seconds.
    package func injectTimeText() -> String { "\(label.onset)\n" }

    /// `graph.json`: `{"edges":[["caller","callee"],…]}`, sorted.
    package func graphJSON() -> String {
        let edges = callEdges.map { "[\(Self.quote($0.caller)),\(Self.quote($0.callee))]" }
        return "{\"edges\":[\(edges.joined(separator: ","))]}\n"
    }

    /// `label.json`: the truth. The analyser must never read it.
    package func labelJSON() -> String {
        var fields: [String] = []
        fields.append("\"root\":[\(label.roots.map(Self.quote).joined(separator: ","))]")
        fields.append("\"indicator\":\(label.indicator.map(Self.quote) ?? "null")")
        fields.append("\"kind\":\(label.kind.map { Self.quote($0.rawValue) } ?? "null")")
        fields.append("\"pattern\":\(label.pattern.map(Self.quote) ?? "null")")
        fields.append("\"alpha\":\(Self.format(label.alpha))")
        fields.append("\"onset\":\(label.onset)")
        fields.append("\"ramp_steps\":\(label.rampSteps)")
        fields.append("\"confounders\":[\(label.confounders.map(Self.quote).joined(separator: ","))]")
        fields.append("\"silent\":\(label.silent)")
        fields.append("\"seed\":\(label.seed)")
        fields.append("\"generator\":\(Self.quote(generator.rawValue))")
        return "{\(fields.joined(separator: ","))}\n"
    }

    /// Writes the four files into `<directory>/case-NNNNNN/`.
    package func write(into directory: URL) throws {
        let folder = directory.appendingPathComponent(String(format: "case-%06d", index))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try dataCSV().write(to: folder.appendingPathComponent("data.csv"), atomically: true, encoding: .utf8)
        try injectTimeText().write(to: folder.appendingPathComponent("inject_time.txt"), atomically: true, encoding: .utf8)
        try graphJSON().write(to: folder.appendingPathComponent("graph.json"), atomically: true, encoding: .utf8)
        try labelJSON().write(to: folder.appendingPathComponent("label.json"), atomically: true, encoding: .utf8)
    }

    /// The columns as aurora series (timestamps in milliseconds, missing cells dropped).
    ///
    /// `wide` keeps the CSV header as the metric name (`cart_mem`, no labels), as a wide export
    /// reads; otherwise the name is the metric and the service is a `service` label.
    package func series(wide: Bool = true) -> [Series] {
        columns.map { column in
            let key = wide ? SeriesKey(name: column.name)
                : SeriesKey(name: column.metric.rawValue, labels: [Label("service", column.service)])
            var series = Series(key: key)
            series.timestamps.reserveCapacity(column.values.count)
            series.values.reserveCapacity(column.values.count)
            for (row, value) in column.values.enumerated() where value.isFinite {
                series.append(timestamp: time(ofRow: row) * 1000, value: value)
            }
            return series
        }
    }

    /// `%.6g`, the same on macOS and Linux; NaN (a missing cell) prints empty.
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "" }
        return String(format: "%.6g", value)
    }

    static func quote(_ text: String) -> String {
        var out = "\""
        for character in text {
            switch character {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default: out.append(character)
            }
        }
        return out + "\""
    }
}
