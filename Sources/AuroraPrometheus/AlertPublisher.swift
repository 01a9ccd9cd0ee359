import Foundation

/// What the publisher needs to know of one incident.
package struct IncidentAlert: Sendable, Equatable {
    /// The incident's id.
    package var incident: Int64
    /// The root-cause service once diagnosed, else the first affected one.
    package var service: String
    /// `critical`, `warning`, `info`.
    package var severity: String
    /// The diagnosed cause (or what is known so far).
    package var summary: String
    /// The strongest evidence.
    package var description: String
    /// The diagnosis' confidence, 0…1, when diagnosed.
    package var confidence: Double?
    /// False when the diagnosis rests on series that stopped reporting: its confidence (0) is no
    /// measurement, and the annotation says `not measured` instead of a number.
    package var confidenceMeasured: Bool
    /// What aurora did or waits for.
    package var action: String
    /// When the incident started.
    package var startsAt: Date
    /// When it was resolved; nil while open.
    package var resolvedAt: Date?
    /// True when every anomaly of the incident came from series with less history than the detector
    /// remembers: such anomalies are several times as common on noise, so the alert says so.
    package var shortHistory: Bool
    /// The highest confidence of its anomalies (the probability, fitted on labelled outcomes, that the
    /// anomaly marks a real fault); nil when none has one.
    package var anomalyConfidence: Double?
    /// The confidence the remediation was decided on (the fault real and its cause right); nil when the
    /// loop decided none.
    package var actingConfidence: Double?

    /// Creates the description of an incident's alert.
    package init(incident: Int64, service: String, severity: String, summary: String, description: String,
                confidence: Double?, confidenceMeasured: Bool = true, action: String, startsAt: Date, resolvedAt: Date? = nil,
                shortHistory: Bool = false, anomalyConfidence: Double? = nil, actingConfidence: Double? = nil) {
        self.incident = incident
        self.service = service
        self.severity = severity
        self.summary = summary
        self.description = description
        self.confidence = confidence
        self.confidenceMeasured = confidenceMeasured
        self.action = action
        self.startsAt = startsAt
        self.shortHistory = shortHistory
        self.resolvedAt = resolvedAt
        self.anomalyConfidence = anomalyConfidence
        self.actingConfidence = actingConfidence
    }
}

/// Publishes incidents to Alertmanager as Prometheus itself publishes rule alerts: every open incident
/// is posted with `endsAt` four minutes ahead and re-sent every minute (sooner when its text changes),
/// so an aurora that dies lets its alerts expire instead of firing for ever; a resolved incident is
/// posted with `endsAt` at its resolution time, again each flush until Alertmanager accepts it, or
/// until the last firing copy would have expired anyway. Alertmanager being down costs one failed
/// request per flush and nothing else: the caller never waits on retries.
package actor AlertPublisher {
    /// Time between re-sends of an unchanged firing alert.
    package let resendInterval: TimeInterval
    /// How far ahead a firing alert's `endsAt` lies.
    package let validity: TimeInterval
    /// Labels added to every alert (`alertmanager.labels`).
    package let extraLabels: [String: String]
    package let client: AlertmanagerClient

    struct Tracked {
        var alert: Alert
        /// When Alertmanager last accepted this alert.
        var acceptedAt: Date?
        /// The `endsAt` of the last accepted firing copy: after it, Alertmanager resolves the alert by itself.
        var expiresAt: Date?
        var resolveAccepted = false
    }

    private var tracked: [Int64: Tracked] = [:]

    /// What one flush did.
    package struct Report: Sendable, Equatable {
        /// Firing alerts posted and accepted.
        package var firing = 0
        /// Resolutions posted and accepted.
        package var resolved = 0
        /// Alerts that were due but not accepted (Alertmanager down): sent again next flush.
        package var pending = 0
        /// Resolutions given up because the alert had expired in Alertmanager anyway.
        package var expired = 0
        /// Why the post failed, when it did.
        package var error: AlertmanagerError?
    }

    /// Creates a publisher.
    package init(client: AlertmanagerClient, extraLabels: [String: String] = [:], resendInterval: TimeInterval = 60,
                validity: TimeInterval = 240) {
        self.client = client
        self.extraLabels = extraLabels
        self.resendInterval = resendInterval
        self.validity = validity
    }

    /// The `history` annotation of an incident every anomaly of which came from a short history.
    package static let shortHistoryNote = "short: every anomaly came from series with less history than the detector remembers, "
        + "where noise pages several times as often; weigh it as a lead"

    /// The `confidence` annotation of an incident diagnosed from series that stopped reporting: no metric
    /// measured why, and "0.00" would read as a measured certainty that the cause is wrong.
    package static let unmeasuredConfidence = "not measured: its series stopped reporting"

    /// The alert for an incident at `now`.
    package func alert(for incident: IncidentAlert, now: Date) -> Alert {
        var labels = extraLabels
        labels["alertname"] = "AuroraIncident"
        labels["service"] = incident.service
        labels["incident"] = String(incident.incident)
        labels["severity"] = incident.severity
        var annotations = ["summary": incident.summary, "description": incident.description, "action": incident.action]
        if let confidence = incident.confidence {
            annotations["confidence"] = incident.confidenceMeasured ? String(format: "%.2f", confidence) : Self.unmeasuredConfidence
        }
        if incident.shortHistory { annotations["history"] = Self.shortHistoryNote }
        if let likeliest = incident.anomalyConfidence { annotations["anomaly_confidence"] = String(format: "%.2f", likeliest) }
        // What the remediation was decided on: the cause's confidence times the chance the fault is real. A
        // person asked to approve sees why from the alert alone (a cause at 0.95 on an anomaly right 4 times
        // in 10 is a 0.38). Not for an unmeasured cause: its 0 would read as a measurement. Rounded down: a
        // value held just below the act line must not print as 0.70, the line met.
        if let acting = incident.actingConfidence, incident.confidenceMeasured {
            annotations["acting_confidence"] = String(format: "%.2f", (acting * 100 + 1e-9).rounded(.down) / 100)
        }
        return Alert(labels: labels, annotations: annotations, startsAt: incident.startsAt,
                     endsAt: incident.resolvedAt ?? now.addingTimeInterval(validity))
    }

    /// Posts what is due: open incidents that are new, changed or a minute old; resolutions not yet
    /// accepted. `incidents` holds the open ones and those resolved recently.
    package func flush(_ incidents: [IncidentAlert], now: Date) async -> Report {
        var report = Report()
        var due: [(Int64, Alert, Bool)] = []
        var present = Set<Int64>()
        for incident in incidents {
            present.insert(incident.incident)
            let alert = alert(for: incident, now: now)
            let previous = tracked[incident.incident]
            if incident.resolvedAt != nil {
                if previous?.resolveAccepted == true { continue }
                if let expires = previous?.expiresAt, now > expires {
                    // Alertmanager has resolved it by itself already.
                    tracked[incident.incident]?.resolveAccepted = true
                    report.expired += 1
                    continue
                }
                if previous == nil, let resolvedAt = incident.resolvedAt, now.timeIntervalSince(resolvedAt) > validity {
                    continue
                }
                due.append((incident.incident, alert, true))
            } else {
                let changed = previous.map { $0.alert.labels != alert.labels || $0.alert.annotations != alert.annotations } ?? true
                let stale = previous?.acceptedAt.map { now.timeIntervalSince($0) >= resendInterval } ?? true
                if changed || stale { due.append((incident.incident, alert, false)) }
                // New labels make a new alert in Alertmanager: the old one is resolved with it, not left to expire.
                if let previous, previous.acceptedAt != nil, previous.alert.labels != alert.labels {
                    var ended = previous.alert
                    ended.endsAt = now
                    due.append((-1, ended, true))
                }
                if previous == nil { tracked[incident.incident] = Tracked(alert: alert) }
            }
        }
        // Incidents that left the list (deleted, or resolved long ago) are forgotten.
        for id in tracked.keys where !present.contains(id) { tracked[id] = nil }
        guard !due.isEmpty else { return report }
        do {
            try await client.post(due.map(\.1))
            for (id, alert, resolving) in due where id >= 0 {
                var entry = tracked[id] ?? Tracked(alert: alert)
                entry.alert = alert
                entry.acceptedAt = now
                if resolving {
                    entry.resolveAccepted = true
                    report.resolved += 1
                } else {
                    entry.expiresAt = alert.endsAt
                    report.firing += 1
                }
                tracked[id] = entry
            }
        } catch {
            report.pending = due.filter { $0.0 >= 0 }.count
            report.error = error
            for (id, alert, _) in due where id >= 0 && tracked[id] == nil { tracked[id] = Tracked(alert: alert) }
        }
        return report
    }

    /// Incidents whose alert Alertmanager has accepted and not yet seen resolved.
    package var firingCount: Int { tracked.values.filter { $0.acceptedAt != nil && !$0.resolveAccepted && $0.alert.endsAt > Date.distantPast }.count }
}
