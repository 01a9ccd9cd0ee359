import AuroraConfig
import AuroraDiagnosis
import AuroraStore

/// How likely a stored incident is a real fault (`FaultReality`), from its recorded anomaly events: the
/// configured detection rules that voted for them, and the Alertmanager alerts among them, are the
/// operator's own word. What the loop weighs a diagnosis by before acting, and what `aurora diagnose`
/// shows beside it.
package enum IncidentFaultReality {
    /// The reality of incident `id` in `context`'s store, under its configuration's rules.
    package static func of(_ id: Int64, context: OperationsContext) throws -> FaultReality {
        of(try context.store.database.read { try AnomalyEventStore.events(incident: id, in: $0) }, configuration: context.configuration)
    }

    /// The reality of an incident made of `events` (already read), under `configuration`'s rules.
    package static func of(_ events: [AnomalyRecord], configuration: Configuration) -> FaultReality {
        let rules = Set(configuration.value("detection")?["rules"]?.list?.compactMap { $0["name"]?.string } ?? [])
        return FaultReality(events: events.map { event in
            let voters = event.detectors.split(separator: ",").map(String.init)
            return FaultReality.Event(confidence: event.confidence, rule: voters.first(where: rules.contains) ?? event.alertRule)
        })
    }
}
