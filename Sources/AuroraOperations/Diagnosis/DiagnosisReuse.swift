import AuroraConfig
import AuroraCore
import AuroraStore
import Foundation

/// What the decision step takes from an incident's diagnosis, fresh or stored.
package enum DiagnosisConclusion: Sendable, Equatable {
    /// A cause and what to do about it (`action` and `target` nil: no remediation known).
    /// `confidenceMeasured` is false when the cause rests on series that stopped reporting: nothing was
    /// measured, and `confidence` (0) is no value to show.
    case decided(text: String, viaLearnedPattern: Bool, evidence: [String], action: String?, target: String?,
                 confidence: Double?, tier: ConfidenceTier?, confidenceMeasured: Bool)
    /// The analysis found no root-cause candidate.
    case noCandidate
    /// Not diagnosed: why.
    case noData(String)

    /// The conclusion of a fresh diagnosis.
    init(_ outcome: IncidentDiagnoser.Outcome, of incident: IncidentRecord) {
        switch outcome {
        case .immunised(let immunity):
            let pattern = immunity.pattern
            self = .decided(text: Self.knownPattern(id: pattern.id, name: pattern.name, cause: pattern.cause), viaLearnedPattern: true,
                            evidence: [], action: pattern.remediation, target: pattern.rootService ?? incident.services.first,
                            confidence: pattern.immunisedConfidence, tier: immunity.tier, confidenceMeasured: true)
        case .analysed(let diagnosis):
            guard let top = diagnosis.top else { self = .noCandidate; return }
            self = .decided(text: Self.rootCause(service: top.service, metric: top.metric, cause: top.cause), viaLearnedPattern: false,
                            evidence: top.evidence.prefix(3).map(\.text), action: top.remediation, target: top.service,
                            confidence: top.confidence, tier: top.tier, confidenceMeasured: !top.restsOnSilence)
        case .noData(let reason):
            self = .noData(reason)
        }
    }

    /// The conclusion of the diagnosis stored on `incident` (its JSON and columns), as a fresh diagnosis
    /// concluding the same would give it; nil when none is stored or it cannot be read back.
    init?(storedOn incident: IncidentRecord) {
        guard let text = incident.diagnosis,
              let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
              let candidates = object["candidates"] as? [[String: Any]] else { return nil }
        // A learned pattern's match (Immunity.check): the pattern's name, playbook, confidence and tier are columns.
        if let id = (object["learned_pattern"] as? NSNumber)?.int64Value {
            guard let cause = object["cause"] as? String, let name = incident.pattern else { return nil }
            self = .decided(text: Self.knownPattern(id: id, name: name, cause: cause), viaLearnedPattern: true, evidence: [],
                            action: incident.remediation, target: candidates.first?["service"] as? String ?? incident.services.first,
                            confidence: incident.confidence, tier: incident.tier, confidenceMeasured: true)
            return
        }
        guard let top = candidates.first else { self = .noCandidate; return }
        guard let service = top["service"] as? String, let cause = top["cause"] as? String,
              let confidence = (top["confidence"] as? NSNumber)?.doubleValue,
              let tier = (top["tier"] as? String).flatMap(ConfidenceTier.init(rawValue:)) else { return nil }
        let evidence = (top["evidence"] as? [[String: Any]] ?? []).prefix(3).compactMap { $0["text"] as? String }
        // The confidence column holds the same number exactly; read back from JSON text it can be one unit in
        // the last place off, and the decision must be the one a fresh diagnosis gave.
        self = .decided(text: Self.rootCause(service: service, metric: top["metric"] as? String, cause: cause), viaLearnedPattern: false,
                        evidence: evidence, action: top["remediation"] as? String, target: service,
                        confidence: incident.confidence ?? confidence, tier: tier,
                        confidenceMeasured: top["confidenceMeasured"] as? Bool ?? true)
    }

    static func knownPattern(id: Int64, name: String, cause: String) -> String {
        DiagnosisHeadline.knownPattern(id: id, name: name, cause: cause)
    }

    static func rootCause(service: String, metric: String?, cause: String) -> String {
        DiagnosisHeadline.rootCause(service: service, metric: metric, cause: cause)
    }
}

/// What an open incident's stored diagnosis depends on, read from the store in the pass's read: its
/// span, events and status, how many series of its absent-data events are still silent, the learned
/// patterns and the configuration. The loop records it when it takes a diagnosis and diagnoses again
/// only when it changed or the diagnosis is older than the bound, so a restarted watcher, `aurora heal`
/// and several aurora processes on one database agree.
package struct DiagnosisBasis: Sendable {
    package let row: DiagnosisBasisRow
    let patterns: String
    let configuration: String

    package init(_ row: DiagnosisBasisRow, patterns: String, configuration: String) {
        self.row = row
        self.patterns = patterns
        self.configuration = configuration
    }

    /// The basis as recorded, with the incident's status `status` (the one it has once the pass is done with it).
    /// The count of series still silent is written only for an incident with some, so that the series'
    /// return (the count falling, to 0 when all are back) changes it.
    package func text(status: IncidentStatus) -> String {
        "status=\(status.rawValue) span=\(row.start)-\(row.end) events=\(row.events) patterns=\(patterns) config=\(configuration)"
            + (row.stillSilent > 0 ? " silent=\(row.stillSilent)" : "")
    }

    /// The stored diagnosis' conclusion when nothing it depends on changed since the loop recorded this
    /// basis and it is younger than `maxAge` at `now`; nil when the incident must be diagnosed again.
    package func reusable(_ incident: IncidentRecord, now: Date, maxAge: TimeInterval) -> DiagnosisConclusion? {
        guard let diagnosed = row.diagnosed, now.timeIntervalSince(diagnosed) < maxAge,
              row.recorded == text(status: row.status) else { return nil }
        return DiagnosisConclusion(storedOn: incident)
    }

    /// The basis recorded for a pass that could not diagnose for lack of data (`reason`), first found at
    /// `time`: the failure is taken again, like a diagnosis, while nothing it depends on changed.
    package func failureText(status: IncidentStatus, reason: String, at time: Date) -> String {
        Self.failurePrefix + String(time.unixMilliseconds) + " " + text(status: status) + " reason=" + reason
    }

    private static let failurePrefix = "no-data@"

    /// The stored failure (why, and when the analysis found it) when nothing it depends on changed since
    /// it was recorded and it is younger than `maxAge` at `now`; nil when the incident must be tried
    /// again. The caller also checks that no points arrived in the incident's window meanwhile.
    package func reusableFailure(now: Date, maxAge: TimeInterval) -> (reason: String, at: Date)? {
        guard let recorded = row.recorded, recorded.hasPrefix(Self.failurePrefix) else { return nil }
        let rest = recorded.dropFirst(Self.failurePrefix.count)
        guard let space = rest.firstIndex(of: " "), let milliseconds = Int64(rest[..<space]) else { return nil }
        let found = Date(unixMilliseconds: milliseconds)
        let expected = text(status: row.status) + " reason="
        let body = rest[rest.index(after: space)...]
        guard now.timeIntervalSince(found) < maxAge, body.hasPrefix(expected) else { return nil }
        return (String(body.dropFirst(expected.count)), found)
    }

    /// A short digest of a whole configuration (a reload that changes anything changes it).
    package static func fingerprint(of configuration: Configuration) -> String {
        String(SHA256.hex(canonical(configuration.root)).prefix(16))
    }

    private static func canonical(_ value: ConfigValue) -> String {
        switch value {
        case .integer(let v): "i\(v)"
        case .number(let v): "n\(v)"
        case .duration(let v): "d\(v)"
        case .boolean(let v): "b\(v)"
        case .string(let v): "s\(v.utf8.count):\(v)"
        case .list(let items): "[" + items.map(canonical).joined(separator: ",") + "]"
        case .object(let pairs): "{" + pairs.map { "\($0.0.utf8.count):\($0.0)=" + canonical($0.1) }.joined(separator: ",") + "}"
        }
    }
}
