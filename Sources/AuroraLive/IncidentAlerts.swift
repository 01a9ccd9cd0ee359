import AuroraCore
import AuroraPrometheus
import AuroraStore
import Foundation

/// The incidents to publish as alerts: every unresolved one, and those resolved within `validity`
/// (their resolution is still worth posting).
package enum IncidentAlerts {
    /// `critical` when a human is needed (approval, escalation), else `warning`.
    package static func severity(tier: ConfidenceTier?, status: IncidentStatus) -> String {
        if status == .escalated { return "critical" }
        switch tier {
        case .approval, .escalate: return "critical"
        case .autoExecute, .autoWithMonitoring, nil: return "warning"
        }
    }

    /// The alerts' sources at `now`. Their text is what the watcher stored from its latest step on each
    /// incident (`IncidentAlertTextStore`), so a restarted watcher posts what the previous one did; an
    /// incident it has no text for (diagnosed by another aurora command, or before this version) is
    /// described from its stored diagnosis.
    package static func current(now: Date, validity: TimeInterval, in db: Database) throws -> [IncidentAlert] {
        let incidents = try IncidentStore.list(in: db, limit: 500)
        let ids = incidents.map(\.id)
        let young = try AnomalyEventStore.onShortHistory(ids, in: db)
        let likeliest = try AnomalyEventStore.likeliest(ids, in: db)
        let texts = try IncidentAlertTextStore.texts(of: ids, in: db)
        return incidents.compactMap { incident -> IncidentAlert? in
            if incident.status == .resolved {
                guard let resolved = incident.resolved, now.timeIntervalSince(resolved) <= validity else { return nil }
            }
            let services = incident.services.filter { !$0.isEmpty }
            let diagnosis = StoredDiagnosisJSON(incident.diagnosis)
            // Labels come from the stored record only, so that a restarted watcher posts the same alert
            // (the same labels: Alertmanager's identity) instead of a second one.
            let top = diagnosis.rankedTop
            let service = top?["service"] as? String ?? services.first ?? "unknown"
            let text = texts[incident.id] ?? described(incident, diagnosis: diagnosis, services: services)
            return IncidentAlert(incident: incident.id, service: service, severity: severity(tier: incident.tier, status: incident.status),
                                 summary: text.summary,
                                 description: text.description ?? "detected \(AlertTime.encode(incident.detected)); affected: \(services.joined(separator: ", "))",
                                 confidence: text.confidence, confidenceMeasured: text.confidenceMeasured,
                                 action: text.action, startsAt: Date(unixMilliseconds: incident.start), resolvedAt: incident.resolved,
                                 shortHistory: young.contains(incident.id), anomalyConfidence: likeliest[incident.id],
                                 actingConfidence: text.actingConfidence)
        }
    }

    /// The text of an incident the watcher stored none for, from its record: the stored diagnosis'
    /// headline and first evidence as the loop words them (`DiagnosisHeadline`), its confidence, and the
    /// remediation on record or where the incident stands.
    static func described(_ incident: IncidentRecord, diagnosis: StoredDiagnosisJSON, services: [String]) -> IncidentAlertText {
        let summary: String
        if let id = diagnosis.learnedPattern, let cause = diagnosis.object?["cause"] as? String, let name = incident.pattern {
            summary = DiagnosisHeadline.knownPattern(id: id, name: name, cause: cause)
        } else if let top = diagnosis.rankedTop, let service = top["service"] as? String, let cause = top["cause"] as? String {
            summary = DiagnosisHeadline.rootCause(service: service, metric: top["metric"] as? String, cause: cause)
        } else if diagnosis.candidates?.isEmpty == true {
            summary = DiagnosisHeadline.noCandidate
        } else {
            summary = incident.cause ?? DiagnosisHeadline.anomaly(on: services) + " (not diagnosed yet)"
        }
        let evidence = (diagnosis.rankedTop?["evidence"] as? [[String: Any]])?.first?["text"] as? String
        return IncidentAlertText(summary: summary, description: evidence,
                                 action: incident.remediation.map { "remediation: \($0)" } ?? actionText(incident.status),
                                 confidence: incident.confidence,
                                 confidenceMeasured: diagnosis.rankedTop?["confidenceMeasured"] as? Bool ?? true)
    }

    static func actionText(_ status: IncidentStatus) -> String {
        switch status {
        case .open: "diagnosing"
        case .diagnosed: "deciding on a remediation"
        case .remediating: "remediation in progress or waiting for approval"
        case .escalated: "escalated to a human"
        case .resolved: "resolved"
        }
    }
}

/// A stored diagnosis' JSON (`{"candidates": [{"rank": 1, "service": …}, …]}`, or a learned pattern's
/// match `{"learned_pattern": 3, "cause": …, "candidates": [{"service": …}]}`), read for an alert.
struct StoredDiagnosisJSON {
    let object: [String: Any]?

    init(_ json: String?) {
        object = json.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    var candidates: [[String: Any]]? { object?["candidates"] as? [[String: Any]] }

    /// The learned pattern that matched, when the diagnosis is a match.
    var learnedPattern: Int64? { (object?["learned_pattern"] as? NSNumber)?.int64Value }

    /// The top-ranked candidate of root-cause analysis: its service names the alert, its
    /// `confidenceMeasured` says whether the confidence is a value. nil for a learned pattern's match
    /// (its candidate has no rank).
    var rankedTop: [String: Any]? {
        guard let candidates else { return nil }
        let ranked = candidates.sorted { ($0["rank"] as? Int ?? Int.max) < ($1["rank"] as? Int ?? Int.max) }
        guard let top = ranked.first, top["service"] is String, top["rank"] != nil else { return nil }
        return top
    }
}
