import AuroraCore
import AuroraStore
import Foundation

/// One alert of an Alertmanager webhook (payload version 4).
package struct WebhookAlert: Sendable, Equatable, Hashable {
    package var status: String
    package var labels: [String: String]
    package var annotations: [String: String]
    /// As Alertmanager wrote it (the idempotency key keeps its exact text).
    package var startsAt: String
    package var fingerprint: String

    package init(status: String, labels: [String: String], annotations: [String: String] = [:], startsAt: String, fingerprint: String) {
        self.status = status
        self.labels = labels
        self.annotations = annotations
        self.startsAt = startsAt
        self.fingerprint = fingerprint
    }
}

/// Applies webhook alerts to the store: a firing alert opens or joins an incident for the service its
/// label names (as an anomaly event, so that incidents group as usual and the next pass diagnoses and
/// heals it); a resolved alert closes its incident when aurora did not act on it. Each
/// (fingerprint, startsAt, status) is handled once, whatever Alertmanager re-sends. aurora's own
/// alerts (`alertname: AuroraIncident`) routed back to it are ignored.
package enum WebhookIntake {
    /// What happened to one alert.
    package enum Outcome: Sendable, Equatable {
        case opened(incident: Int64, service: String)
        case closed(incident: Int64)
        case kept(incident: Int64, reason: String)
        case duplicate
        case ignored(String)
    }

    /// Applies one alert. `grouping` is the loop's own rule (its opening score, so that weak events
    /// still waiting for a stronger one do not open incidents of their own here; its horizon).
    package static func apply(_ alert: WebhookAlert, serviceLabel: String, grouping: IncidentGrouping, now: Date, in db: Database) throws -> Outcome {
        if alert.labels["alertname"] == "AuroraIncident" { return .ignored("aurora's own alert") }
        let service = alert.labels[serviceLabel]
        guard try WatchStateStore.recordWebhookAlert(fingerprint: alert.fingerprint, startsAt: alert.startsAt, status: alert.status,
                                                     service: service, at: now, in: db) else { return .duplicate }
        if alert.status == "resolved" {
            guard let incident = try WatchStateStore.incidentOfWebhookAlert(fingerprint: alert.fingerprint, startsAt: alert.startsAt, in: db),
                  let record = try IncidentStore.get(incident, in: db) else { return .ignored("no incident of this alert") }
            let acted = try RemediationStore.list(in: db).contains { $0.incident == String(incident) }
            if acted { return .kept(incident: incident, reason: "aurora acted on it: its own verification resolves it") }
            guard record.status != .resolved else { return .kept(incident: incident, reason: "already resolved") }
            try IncidentStore.transition(incident, from: [.open, .diagnosed, .escalated], to: .resolved,
                                         message: "alert \(alert.labels["alertname"] ?? "?") resolved in Alertmanager; aurora did not act",
                                         at: now, in: db)
            return .closed(incident: incident)
        }
        guard let service, !service.isEmpty else { return .ignored("no `\(serviceLabel)` label") }
        let start = (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(alert.startsAt))
            ?? (try? Date.ISO8601FormatStyle().parse(alert.startsAt)) ?? now
        let name = alert.labels["alertname"] ?? "alert"
        try AnomalyEventStore.record([AnomalyRecord(
            seriesKey: SeriesKey(name: "ALERTS", labels: ["alertname": name, "service": service]).description, service: service,
            start: min(start.unixMilliseconds, now.unixMilliseconds), end: now.unixMilliseconds, peakTime: now.unixMilliseconds,
            peakValue: 1, expectedLow: nil, expectedHigh: nil, score: 1, detectors: AnomalyRecord.alertmanagerDetector, recorded: now,
            source: AnomalyRecord.alertSource(name))], in: db)
        let touched = try IncidentStore.groupUnassignedEvents(by: grouping, at: now, in: db)
        guard let incident = touched.first else { return .ignored("no incident formed") }
        try WatchStateStore.linkWebhookAlert(fingerprint: alert.fingerprint, startsAt: alert.startsAt, status: alert.status,
                                             incident: incident, in: db)
        return .opened(incident: incident, service: service)
    }
}
