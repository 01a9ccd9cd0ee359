import AuroraCore
import Foundation

/// The freshness rule: the loop does not remediate by itself a fault it no longer sees.
///
/// A watcher catching up after a stop, or `aurora heal` over an old dump, finds incidents whose last
/// anomalous point is hours old: a restart now for a latency spike that ended at 11:00 is at best useless
/// and at worst a new outage. Such an incident is still grouped, diagnosed and recorded; only the
/// automatic execution is refused. An incident still anomalous at its newest point ends there, so under a
/// live watcher it is as fresh as the data (a step or so); when the data itself is old (a dump, a source
/// that stopped), so is the evidence, and nothing is known of now. A person's request (`aurora remediate`,
/// an approval) carries no evidence time and is never refused by this rule.
package enum StaleIncident {
    /// The check's name in a decision's trail.
    static let check = "stale-incident"
    /// The rule of a refusal (`heal` counts its steps to say why nothing ran).
    package static let refusalRule = "stale.incident"

    /// Seconds from the incident's last anomalous point to `now` (negative when the clock is behind the data).
    static func age(of end: Date, at now: Date) -> Double { now.timeIntervalSince(end) }

    /// Whether evidence that ended at `end` is older than `limit` at `now`.
    static func isStale(end: Date, limit: Double, now: Date) -> Bool { age(of: end, at: now) > limit }

    /// The refusal's reason. It names the end time, not the age, so that the loop asking again pass after
    /// pass gets the same reason and records the refusal once (`standingRecord`).
    static func reason(incident: String?, end: Date, limit: Double, otherwise: String) -> String {
        let subject = incident.map { "incident \($0)" } ?? "the incident"
        return "\(subject) last showed an anomaly at \(RemediationPolicy.iso(end)), more than \(DurationText.format(limit)) before now "
            + "(remediation.stale-after): aurora does not act by itself on a fault it no longer sees; fresh, it would \(otherwise)"
    }
}
