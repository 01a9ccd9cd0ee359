import AuroraDiagnosis
import AuroraStore

extension HealingPass {
    /// How likely `incident` is a real fault, from its recorded anomaly events and the configured rules.
    func faultReality(of incident: Int64) throws -> FaultReality {
        let rules = context.configuration.value("detection")?["rules"]?.list?.compactMap { $0["name"]?.string } ?? []
        let events = try context.store.database.read { try AnomalyEventStore.events(incident: incident, in: $0) }
        return FaultReality(events: events.map {
            FaultReality.Event(confidence: $0.confidence, detectors: $0.detectors.split(separator: ",").map(String.init))
        }, ruleNames: Set(rules))
    }
}
