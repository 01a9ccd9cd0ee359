import AuroraRemediation
import AuroraStore
import Foundation

/// The loop asks for the same remediation of a stuck incident on every pass (every few seconds under
/// `aurora watch`). A decision that only repeats the one on record is not recorded again: recording it
/// would add a row and an audit entry per pass and per incident, and could queue one approval many times.
extension RemediationFlow {
    /// The row that already stands for `decision` on `request`, or nil when the decision must be recorded:
    ///
    /// - waiting for approval: the incident's queued row for the same action and target, whoever asked
    ///   (one pending approval per incident, action and target);
    /// - refused or escalated, when the request does not record repeated refusals: the incident's latest
    ///   row, when it is that same refusal — same action, target, rendering and requester, refused (or
    ///   escalated) by the same rule for the same reason. A refusal whose reason changed (another switch,
    ///   another window, a new cooldown) is recorded; one that lifted is not a refusal and runs.
    ///
    /// Called inside the decision's write transaction: two aurora processes cannot both find nothing and
    /// both insert.
    func standingRecord(for request: RemediationRequest, decision: PolicyDecision, renderedHash: String, in db: Database) throws
        -> RemediationRecord?
    {
        guard let incident = request.incident else { return nil }
        switch decision.verdict {
        case .execute:
            return nil
        case .queueForApproval:
            return try RemediationStore.pending(incident: incident, action: request.action, service: request.service, in: db)
        case .refused, .escalate:
            guard !request.recordsRepeatedRefusal, let latest = try RemediationStore.latest(incident: incident, in: db) else { return nil }
            let outcome = decision.verdict == .escalate ? "escalated" : "refused"
            let same = latest.state == .refused && latest.outcome == outcome && latest.action == request.action
                && latest.service == request.service && latest.renderedHash == renderedHash && latest.requester == request.actor
                && latest.rule == decision.rule && latest.reason == decision.reason
            return same ? latest : nil
        }
    }

    /// A dry run stores no row to compare with, so its audit entry is the record: the loop's dry run
    /// (`watch --dry-run`, `heal --dry-run` over a stuck incident) that would say exactly what the same
    /// requester's last entry for this service said within the last day is not written again.
    func repeatsRecentDryRun(_ entry: AuditEntry, for request: RemediationRequest, in db: Database) throws -> Bool {
        guard !request.recordsRepeatedRefusal,
              let latest = try AuditLog.latest(action: entry.action, subject: entry.subject, since: entry.at.addingTimeInterval(-86_400), in: db)
        else { return false }
        return latest.actor == entry.actor && latest.detail == entry.detail && latest.outcome == entry.outcome
    }
}
