/// A diagnosis in one line, as the loop logs it and the watcher's alerts carry it. Written once here so
/// that an alert made from the stored diagnosis reads like the one made from a fresh one.
package enum DiagnosisHeadline {
    /// A learned pattern's match: `known pattern #3 "pool exhausted": … (root-cause analysis skipped)`.
    package static func knownPattern(id: Int64, name: String, cause: String) -> String {
        "known pattern #\(id) \"\(name)\": \(cause) (root-cause analysis skipped)"
    }

    /// Root-cause analysis' top candidate: `root cause api (latency_seconds): …`.
    package static func rootCause(service: String, metric: String?, cause: String) -> String {
        "root cause \(service)\(metric.map { " (\($0))" } ?? ""): \(cause)"
    }

    /// The analysis ran and found no candidate.
    package static let noCandidate = "no root-cause candidate"

    /// An incident nothing has diagnosed: `anomaly on api, db` (`an unnamed service` for series without one).
    package static func anomaly(on services: [String]) -> String {
        let named = services.filter { !$0.isEmpty }
        return "anomaly on \(named.isEmpty ? "an unnamed service" : named.joined(separator: ", "))"
    }

    /// The analysis could not run: why.
    package static func notDiagnosed(_ reason: String) -> String { "not diagnosed: \(reason)" }
}
