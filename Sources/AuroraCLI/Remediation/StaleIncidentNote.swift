import AuroraCore
import AuroraRemediation

/// The note `aurora heal` ends with when the stale-incident rule held remediations back: over an old dump it
/// holds back every one, and a reader must not take that for a fault in aurora or in the actions.
enum StaleIncidentNote {
    /// The rule of the refusal.
    static let rule = StaleIncident.refusalRule

    /// The note for `incidents` held back under the limit `limit` (`15m`): why, and what a person can do.
    static func text(incidents: [Int64], limit: String) -> String {
        let which = incidents.count == 1 ? "incident \(incidents[0]) was" : "incidents \(NameList.text(incidents.map(String.init))) were"
        return "\(which) last seen more than \(limit) before now (remediation.stale-after): diagnosed and recorded, not remediated, "
            + "since aurora does not act by itself on a fault it no longer sees (old data, or a watcher catching up). Each refusal says what "
            + "would run were it fresh; to act anyway: aurora remediate ACTION --service SERVICE --incident ID; to replay old data as if live "
            + "(a lab, never production): remediation.stale-after: 0"
    }
}
