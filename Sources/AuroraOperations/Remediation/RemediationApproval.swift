import AuroraCore
import AuroraExecutors
import AuroraRemediation
import AuroraStore
import Foundation

/// Approval (re-check and claim in one transaction, then execution) and rejection of queued remediations.
extension RemediationFlow {
    // MARK: - Approval

    /// Approves a queued remediation and executes it: approval, policy re-check (kill switches,
    /// freezes, rate limits, governance) and claim in one transaction, then execution. Another
    /// process that got there first leaves `kind == .notPending`.
    package func approve(_ id: Int64, approver: String) async throws -> RemediationResult {
        try verifyIntegrityOnce()
        try recover()
        var claimed: (RenderedAction, [String])?
        let result = try store.database.write { db -> RemediationResult in
            // Read once the write lock is held (see `run`).
            let now = clock.now()
            guard let row = try RemediationStore.get(id, in: db) else {
                throw SimpleFailure(.noInput, "no remediation \(id) (see `aurora queue`)")
            }
            var result = RemediationResult(kind: .refused, id: id, state: row.state, rule: row.rule, reason: row.reason,
                                           nextAllowedAt: nil, plan: row.description.split(separator: "\n").map(String.init), checks: [], report: nil)
            guard row.state == .queued else {
                result.kind = .notPending
                result.rule = "approval.not-pending"
                result.reason = "remediation \(id) is no longer pending: it is \(row.state.rawValue)" + (row.approver.map { " (approved by \($0))" } ?? "")
                return result
            }
            func refuse(_ rule: String, _ reason: String, final: Bool) throws -> RemediationResult {
                if final {
                    try RemediationStore.transition(id, from: [.queued], to: .refused, rule: rule,
                                                    reason: reason, at: now, set: [(.finishedAt, .integer(now.unixMilliseconds))], in: db)
                    result.state = .refused
                }
                try AuditLog.append(AuditEntry(at: now, actor: approver, action: "remediation.approve", subject: row.auditSubject,
                                               detail: reason, outcome: "refused"), to: db)
                result.rule = rule
                result.reason = reason
                return result
            }
            let check = settings.approval.mayApprove(requester: row.requester, approver: approver)
            guard check.allowed else { return try refuse(check.rule, check.reason, final: false) }
            // A request dated after now beyond the clock-skew tolerance means a wall clock is wrong (the
            // requester's then, or ours now): its age and time to live cannot be trusted. Left queued, so
            // that it can be approved once the clocks agree (or rejected, or left to expire).
            let tolerance = settings.approval.futureTolerance
            if row.createdAt > now.addingTimeInterval(tolerance) {
                return try refuse("approval.from-the-future",
                                  "remediation \(id) was requested at \(TimeText.iso(row.createdAt)), after now (\(TimeText.iso(now))) "
                                  + "beyond the \(Int(tolerance))s clock tolerance: a wall clock is wrong; fix it, then approve again",
                                  final: false)
            }
            let definition: ActionDefinition
            let rendered: RenderedAction
            do {
                (definition, rendered) = try render(action: row.action, service: row.service, parameters: row.parameters, incident: row.incident)
            } catch {
                // Left queued: the approver's environment may lack a secret another approver has.
                return try refuse("approval.render-failed", "the action cannot be rendered here: \(error)", final: false)
            }
            if rendered.hash != row.renderedHash {
                return try refuse("approval.hash-mismatch",
                                  "the action changed since it was requested (requested \(row.renderedHash.prefix(12)), now \(rendered.hash.prefix(12))); request it again",
                                  final: true)
            }
            let request = PolicyRequest(service: row.service, type: definition.type, tier: rendered.tier, confidence: row.confidence,
                                        incident: row.incident, stage: .approvedExecution)
            let decision = RemediationPolicy.decide(request, snapshot: try snapshot(service: row.service, incident: row.incident, now: now, in: db),
                                                    configuration: settings.policy, now: now)
            result.checks = decision.checks
            result.nextAllowedAt = decision.nextAllowedAt
            switch decision.verdict {
            case .refused:
                return try refuse(decision.rule, decision.reason, final: false)
            case .escalate, .queueForApproval:
                result.kind = .escalated
                return try refuse(decision.rule, decision.reason, final: true)
            case .execute:
                break
            }
            if decision.dryRun {
                try AuditLog.append(AuditEntry(at: now, actor: approver, action: "remediation.dry-run", subject: row.auditSubject,
                                               detail: "approval not applied: \(decision.reason)", outcome: "execute"), to: db)
                result.kind = .dryRun
                result.rule = decision.rule
                result.reason = decision.reason
                return result
            }
            guard try RemediationStore.transition(id, from: [.queued], to: .approved,
                                                  rule: "approval.granted", reason: check.reason, at: now,
                                                  set: [(.approver, .text(approver)), (.approvedAt, .integer(now.unixMilliseconds))], in: db) else {
                result.kind = .notPending
                result.reason = "remediation \(id) is no longer pending"
                return result
            }
            let approval = Approval(renderedHash: row.renderedHash, requester: row.requester, approver: approver, approvedAt: now)
            let validity = settings.approval.validate(approval, currentHash: rendered.hash, now: now)
            guard validity.valid else {
                try RemediationStore.transition(id, from: [.approved],
                                                to: (validity.expired ? RemediationState.expired : .refused),
                                                rule: validity.rule, reason: validity.reason, at: now, in: db)
                return try refuse(validity.rule, validity.reason, final: false)
            }
            try AuditLog.append(AuditEntry(at: now, actor: approver, action: "remediation.approve", subject: row.auditSubject,
                                           detail: "requested by \(row.requester), approved by \(approver) [\(Self.trail(decision))]",
                                           outcome: "approved"), to: db)
            try claim(id, from: .approved, subject: row.auditSubject, actor: approver, now: now, in: db)
            claimed = (rendered, rendered.redactedLines)
            result.kind = .executed
            result.state = .running
            return result
        }
        guard let (rendered, plan) = claimed else { return result }
        return await execute(id, rendered: rendered, plan: plan, actor: approver)
    }

    /// Rejects a queued remediation (conditional: only while it is still queued).
    package func reject(_ id: Int64, actor: String, reason: String) throws -> RemediationResult {
        try recover()
        return try store.database.write { db in
            let now = clock.now()
            guard let row = try RemediationStore.get(id, in: db) else {
                throw SimpleFailure(.noInput, "no remediation \(id) (see `aurora queue`)")
            }
            var result = RemediationResult(kind: .rejected, id: id, state: .rejected, rule: "approval.rejected", reason: reason, nextAllowedAt: nil,
                                           plan: row.description.split(separator: "\n").map(String.init), checks: [], report: nil)
            guard try RemediationStore.transition(id, from: [.queued], to: .rejected,
                                                  rule: "approval.rejected", reason: "rejected by \(actor): \(reason)", at: now,
                                                  set: [(.approver, .text(actor)), (.finishedAt, .integer(now.unixMilliseconds))], in: db) else {
                result.kind = .notPending
                result.state = row.state
                result.rule = "approval.not-pending"
                result.reason = "remediation \(id) is no longer pending: it is \(row.state.rawValue)"
                return result
            }
            try AuditLog.append(AuditEntry(at: now, actor: actor, action: "remediation.reject", subject: row.auditSubject,
                                           detail: "requested by \(row.requester): \(reason)", outcome: "rejected"), to: db)
            return result
        }
    }
}
