import AuroraOperations
import Foundation

/// Remembers what `aurora watch` last logged about each incident, so that an incident the loop visits
/// pass after pass (escalated, refused by a rate limit, waiting for more data) is logged when its
/// diagnosis, decision or outcome changes, not once per pass. The memory lives as long as the process:
/// a restarted watcher says once more where each open incident stands, which is what an operator
/// reading a fresh log wants.
final class IncidentStepLog: @unchecked Sendable {
    // Unchecked: touched by the loop's own pass only, one at a time.
    private var logged: [Int64: String] = [:]

    /// Whether `step` says something new about its incident; remembers it when it does. A resolution
    /// is always news (and ends the memory of that incident).
    func isNews(_ step: HealingPass.IncidentStep) -> Bool {
        if step.resolved {
            logged[step.incident] = nil
            return true
        }
        // The confidence moves a little as points arrive; its tier, the diagnosis and the decision are what matter.
        let summary = [step.diagnosis, step.tier?.rawValue ?? "", step.action ?? "", step.target ?? "", step.outcome]
            .joined(separator: "\u{1F}")
        guard logged[step.incident] != summary else { return false }
        logged[step.incident] = summary
        return true
    }
}
