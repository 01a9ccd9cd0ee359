import AuroraCore
import Foundation

/// A case in aurora's `aurora-rca-case/1` folder format (the one `aurora eval-rca` reads), so the
/// synthetic benchmark and real past incidents are graded by the same command.
extension SyntheticCase {
    /// `metrics.csv`: long CSV `timestamp,metric,service,value`, rows in time order, missing cells absent.
    package func rcaMetricsCSV() -> String {
        let ordered = columns.sorted { ($0.service, $0.metric.rawValue) < ($1.service, $1.metric.rawValue) }
        var out = "timestamp,metric,service,value\n"
        for row in 0..<rowCount {
            let stamp = Self.iso(time(ofRow: row))
            for column in ordered where column.values[row].isFinite {
                out += "\(stamp),\(column.metric.rawValue),\(column.service),\(Self.format(column.values[row]))\n"
            }
        }
        return out
    }

    /// `case.json`: the incident time, the windows, the services, the graph and the answer, with the
    /// groups `system` (`synthetic`) and `fault_type` (the fault kind, or `none`); from aurora-synth/2
    /// also `visibility` and `reference`.
    package func rcaCaseJSON(id: String? = nil) -> String {
        let onset = label.onset
        let services = topology.services.map(\.name).sorted()
        var fields: [String] = []
        fields.append("\"format\":\"aurora-rca-case/1\"")
        fields.append("\"id\":\(Self.quote(id ?? String(format: "synth-%06d", index)))")
        fields.append("\"incident_time\":\(Self.quote(Self.iso(onset)))")
        fields.append("\"window\":{\"from\":\(Self.quote(Self.iso(onset))),\"to\":\(Self.quote(Self.iso(time(ofRow: rowCount - 1))))}")
        fields.append("\"normal_window\":{\"from\":\(Self.quote(Self.iso(startTime))),\"to\":\(Self.quote(Self.iso(onset - stepSeconds)))}")
        fields.append("\"step_seconds\":\(stepSeconds)")
        fields.append("\"services\":[\(services.map(Self.quote).joined(separator: ","))]")
        let edges = callEdges.map { "[\(Self.quote($0.caller)),\(Self.quote($0.callee))]" }
        fields.append("\"graph\":{\"edges\":[\(edges.joined(separator: ","))]}")
        if let root = label.roots.first { fields.append("\"root_service\":\(Self.quote(root))") }
        fields.append("\"root_services\":[\(label.roots.map(Self.quote).joined(separator: ","))]")
        let kind = label.kind?.rawValue ?? "none"
        fields.append("\"fault_type\":\(Self.quote(kind))")
        var groups = ["\"system\":\"synthetic\"", "\"fault_type\":\(Self.quote(kind))"]
        if generator != .v1 {
            // aurora-synth/2: how the fault shows, and whether an earlier fault sits in the reference window.
            groups.append("\"visibility\":\(Self.quote(visibility))")
            let earlier = label.confounders.contains { $0.hasPrefix("earlier:") }
            groups.append("\"reference\":\(Self.quote(earlier ? "earlier-fault" : "clean"))")
        }
        fields.append("\"groups\":{\(groups.joined(separator: ","))}")
        return "{\(fields.joined(separator: ","))}\n"
    }

    /// How the fault shows: `full`, `faint` (a small fixed size), `caller-only` (only the callers see it)
    /// or `faint caller-only`.
    var visibility: String {
        let faint = label.confounders.contains("faint"), callerOnly = label.confounders.contains("caller-only")
        switch (faint, callerOnly) {
        case (true, true): return "faint caller-only"
        case (true, false): return "faint"
        case (false, true): return "caller-only"
        case (false, false): return "full"
        }
    }

    /// Writes `case.json` and `metrics.csv` into `<directory>/<name>/`.
    package func writeRCACase(into directory: URL, name: String? = nil) throws {
        let folder = directory.appendingPathComponent(name ?? String(format: "synth-%06d", index))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try rcaCaseJSON(id: name).write(to: folder.appendingPathComponent("case.json"), atomically: true, encoding: .utf8)
        try rcaMetricsCSV().write(to: folder.appendingPathComponent("metrics.csv"), atomically: true, encoding: .utf8)
    }

    /// `2026-11-28T14:05:00Z` for Unix seconds, independent of the platform's formatters.
    static func iso(_ seconds: Int64) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rest = seconds - days * 86_400
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return String(format: "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ", year, month, day,
                      rest / 3600, rest % 3600 / 60, rest % 60)
    }
}
