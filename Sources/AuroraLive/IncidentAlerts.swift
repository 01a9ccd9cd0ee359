import AuroraCore
import AuroraPrometheus
import AuroraStore
import Foundation

/// What the loop learned of an incident in this process (its diagnosis and remediation in words),
/// richer than the stored record; after a restart the record alone is used.
package struct IncidentNote: Sendable, Equatable {
    package var rootService: String?
    package var diagnosis: String
    package var evidence: String?
    package var confidence: Double?
    /// False when the cause rests on series that stopped reporting (its confidence, 0, is no measurement).
    package var confidenceMeasured: Bool
    package var tier: String?
    package var action: String

    package init(rootService: String?, diagnosis: String, evidence: String?, confidence: Double?, confidenceMeasured: Bool = true,
                 tier: String?, action: String) {
        self.rootService = rootService
        self.diagnosis = diagnosis
        self.evidence = evidence
        self.confidence = confidence
        self.confidenceMeasured = confidenceMeasured
        self.tier = tier
        self.action = action
    }
}

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

    /// The alerts' sources at `now`.
    package static func current(notes: [Int64: IncidentNote], now: Date, validity: TimeInterval, in db: Database) throws -> [IncidentAlert] {
        let incidents = try IncidentStore.list(in: db, limit: 500)
        let young = try AnomalyEventStore.onShortHistory(incidents.map(\.id), in: db)
        let likeliest = try AnomalyEventStore.likeliest(incidents.map(\.id), in: db)
        return incidents.compactMap { incident -> IncidentAlert? in
            if incident.status == .resolved {
                guard let resolved = incident.resolved, now.timeIntervalSince(resolved) <= validity else { return nil }
            }
            let note = notes[incident.id]
            let services = incident.services.filter { !$0.isEmpty }
            // Labels come from the stored record only, so that a restarted watcher posts the same alert
            // (the same labels: Alertmanager's identity) instead of a second one.
            let top = topCandidate(incident.diagnosis)
            let service = top?["service"] as? String ?? services.first ?? "unknown"
            let tier = incident.tier
            let summary = note?.diagnosis ?? incident.cause
                ?? "anomaly on \(services.isEmpty ? "an unnamed service" : services.joined(separator: ", ")) (not diagnosed yet)"
            let description = note?.evidence ?? "detected \(AlertTime.encode(incident.detected)); affected: \(services.joined(separator: ", "))"
            let action = note?.action ?? incident.remediation.map { "remediation: \($0)" } ?? actionText(incident.status)
            return IncidentAlert(incident: incident.id, service: service, severity: severity(tier: tier, status: incident.status),
                                 summary: summary, description: description, confidence: note?.confidence ?? incident.confidence,
                                 confidenceMeasured: note?.confidenceMeasured ?? (top?["confidenceMeasured"] as? Bool ?? true),
                                 action: action, startsAt: Date(unixMilliseconds: incident.start), resolvedAt: incident.resolved,
                                 shortHistory: young.contains(incident.id), anomalyConfidence: likeliest[incident.id])
        }
    }

    /// The top-ranked candidate in a stored diagnosis (`{"candidates": [{"rank": 1, "service": …}, …]}`):
    /// its service names the alert, its `confidenceMeasured` says whether the confidence is a value.
    static func topCandidate(_ json: String?) -> [String: Any]? {
        guard let json, let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return nil }
        for value in object.values {
            guard let candidates = value as? [[String: Any]] else { continue }
            let ranked = candidates.sorted { ($0["rank"] as? Int ?? Int.max) < ($1["rank"] as? Int ?? Int.max) }
            if let top = ranked.first, top["service"] is String, top["rank"] != nil { return top }
        }
        return nil
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
