import AuroraCore
import AuroraDiagnosis
import AuroraIngest
import Foundation

/// Reads past incidents in the `aurora-rca-case/1` folder format: `case.json` (the incident time, the
/// windows, the services, the call graph, the answer and its groups) next to `metrics.csv.gz` or
/// `metrics.csv` (long CSV: `timestamp,metric,service,value`).
enum RCACaseReader {
    /// Every folder under `root` (itself included) that holds a `case.json`, sorted by path.
    static func caseFolders(under root: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw SimpleFailure(.noInput, "\(root): no such directory")
        }
        if FileManager.default.fileExists(atPath: (root as NSString).appendingPathComponent("case.json")) { return [root] }
        let found = (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? [])
            .filter { ($0 as NSString).lastPathComponent == "case.json" }
            .map { (root as NSString).appendingPathComponent(($0 as NSString).deletingLastPathComponent) }
        return found.sorted()
    }

    /// One case from its folder.
    static func read(folder: String) throws -> RCACase {
        let casePath = (folder as NSString).appendingPathComponent("case.json")
        guard let data = FileManager.default.contents(atPath: casePath) else {
            throw SimpleFailure(.noInput, "\(casePath): cannot read the file")
        }
        let object: [String: Any]
        do {
            guard let parsed = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw SimpleFailure(.dataError, "\(casePath): expected a JSON object")
            }
            object = parsed
        } catch let failure as SimpleFailure {
            throw failure
        } catch {
            throw SimpleFailure(.dataError, "\(casePath): not valid JSON (\(error.localizedDescription))")
        }
        func fail(_ message: String) -> SimpleFailure { SimpleFailure(.dataError, "\(casePath): \(message)") }
        func time(_ text: Any?, _ field: String) throws -> Int64? {
            guard let text else { return nil }
            guard let string = text as? String, let date = TimeArgument.parse(string, now: Date(timeIntervalSince1970: 0)) else {
                throw fail("`\(field)` is not an RFC 3339 time")
            }
            return date.unixMilliseconds
        }
        let id = object["id"] as? String ?? (folder as NSString).lastPathComponent
        guard let incident = try time(object["incident_time"], "incident_time") else { throw fail("missing `incident_time`") }
        let roots: [String]
        if let root = object["root_service"] as? String {
            roots = [root]
        } else if let list = object["root_services"] as? [String], !list.isEmpty {
            roots = list
        } else {
            throw fail("missing the answer: `root_service` (or `root_services`)")
        }
        let windowEnd = try time((object["window"] as? [String: Any])?["to"], "window.to")
        let historyStart = try time((object["normal_window"] as? [String: Any])?["from"], "normal_window.from")
        var edges: [(caller: String, callee: String)] = []
        for edge in ((object["graph"] as? [String: Any])?["edges"] as? [Any]) ?? [] {
            guard let pair = edge as? [String], pair.count == 2 else { throw fail("`graph.edges` must be [caller, callee] pairs") }
            edges.append((pair[0], pair[1]))
        }
        var groups: [RCAGroup] = []
        for (dimension, value) in (object["groups"] as? [String: Any]) ?? [:] {
            if let text = value as? String { groups.append(RCAGroup(dimension, text)) }
        }
        let series = try metrics(folder: folder)
        let lastPoint = series.compactMap(\.timestamps.last).max() ?? incident
        let end = max(incident, windowEnd ?? lastPoint)
        // The normal window reaches back to its start (short when the recording began just before).
        let history = max(incident - (historyStart ?? (incident - 3_600_000)), 60_000)
        let window = try IncidentWindow(start: incident, end: end, history: history)
        return RCACase(id: id, series: series, window: window, graph: ServiceGraph(edges: edges),
                       services: (object["services"] as? [String]) ?? [], roots: roots, groups: groups.sorted())
    }

    static func metrics(folder: String) throws -> [Series] {
        for name in ["metrics.csv.gz", "metrics.csv"] {
            let path = (folder as NSString).appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: path) else { continue }
            return try ingest([.path(path)], options: IngestOptions()).series
        }
        throw SimpleFailure(.noInput, "\(folder): no metrics.csv.gz or metrics.csv")
    }
}
