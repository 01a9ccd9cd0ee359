import AuroraCore
import AuroraExecutors
import AuroraRemediation
import AuroraStore
import Foundation

/// A request through the policy decision (one write transaction), then execution when allowed.
extension RemediationFlow {
    // MARK: - Request

    enum Step {
        case done(RemediationResult)
        case execute(Int64)
    }

    /// Runs a request through the whole flow and, when policy allows, executes it. This is what
    /// `aurora remediate` and `aurora heal` call.
    package func run(_ request: RemediationRequest) async throws -> RemediationResult {
        if !request.dryRun { try verifyIntegrityOnce() }
        try recover()
        let (definition, rendered) = try render(action: request.action, service: request.service, parameters: request.parameters,
                                                incident: request.incident)
        let plan = rendered.redactedLines
        let policyRequest = PolicyRequest(service: request.service, type: definition.type, tier: rendered.tier, confidence: request.confidence,
                                          incident: request.incident, dryRun: request.dryRun, evidenceEnd: request.evidenceEnd)
        let parameters = rendered.context.parameters
        let step = try store.database.write { db -> Step in
            // "Now" is read once the write lock is held: read before it, a request that waited for the lock
            // behind another one for the same service saw that one's start as being in the future, and a
            // cooldown of 0 s refused it.
            let now = clock.now()
            let decision = RemediationPolicy.decide(policyRequest, snapshot: try snapshot(service: request.service, incident: request.incident,
                                                                                         now: now, in: db),
                                                    configuration: settings.policy, now: now)
            var result = RemediationResult(kind: .refused, id: nil, state: nil, rule: decision.rule, reason: decision.reason,
                                           nextAllowedAt: decision.nextAllowedAt, plan: plan, checks: decision.checks, report: nil)
            if decision.dryRun {
                result.kind = .dryRun
                let entry = AuditEntry(
                    at: now, actor: request.actor, action: "remediation.dry-run", subject: "service:\(request.service):dry-run",
                    detail: "\(request.action): \(decision.reason) [\(Self.trail(decision))]\n" + plan.joined(separator: "\n"),
                    outcome: decision.verdict.rawValue)
                if try !repeatsRecentDryRun(entry, for: request, in: db) { try AuditLog.append(entry, to: db) }
                return .done(result)
            }
            if let standing = try standingRecord(for: request, decision: decision, renderedHash: rendered.hash, in: db) {
                // The same decision is already on record: say so, and refresh when it was last taken.
                try RemediationStore.markEvaluated(standing.id, at: now, in: db)
                result.kind = decision.verdict == .queueForApproval ? .queued : decision.verdict == .escalate ? .escalated : .refused
                result.id = standing.id
                result.state = standing.state
                result.unchangedSince = standing.createdAt
                return .done(result)
            }
            var record = RemediationRecord(
                action: request.action, actionType: definition.type.rawValue, service: request.service, parameters: parameters,
                renderedHash: rendered.hash, description: rendered.redactedDescription, requester: request.actor,
                requestReason: request.reason, tier: rendered.tier, confidence: request.confidence, incident: request.incident,
                state: .queued, rule: decision.rule, reason: decision.reason, createdAt: now)
            let outcome: String
            switch decision.verdict {
            case .refused, .escalate:
                record.state = .refused
                record.finishedAt = now
                record.outcome = decision.verdict == .escalate ? "escalated" : "refused"
                outcome = record.outcome ?? "refused"
                result.kind = decision.verdict == .escalate ? .escalated : .refused
            case .queueForApproval:
                outcome = "queued"
                result.kind = .queued
            case .execute:
                record.state = .approved
                record.approver = "policy"
                record.approvedAt = now
                outcome = "approved by policy"
                result.kind = .executed
            }
            result.state = record.state
            let id = try RemediationStore.insert(record, in: db)
            record.id = id
            result.id = id
            let because = request.reason.isEmpty ? "" : " (because: \(request.reason))"
            try AuditLog.append(AuditEntry(
                at: now, actor: request.actor, action: "remediation.request", subject: record.auditSubject,
                detail: "\(request.action) [\(definition.type), tier \(rendered.tier)]\(because): \(decision.reason) [\(Self.trail(decision))]",
                outcome: outcome), to: db)
            guard decision.verdict == .execute else { return .done(result) }
            try claim(id, from: .approved, subject: record.auditSubject, actor: request.actor, now: now, in: db)
            return .execute(id)
        }
        switch step {
        case let .done(result): return result
        case let .execute(id): return await execute(id, rendered: rendered, plan: plan, actor: request.actor)
        }
    }

    func claim(_ id: Int64, from state: RemediationState, subject: String, actor: String, now: Date, in db: Database) throws {
        guard try RemediationStore.transition(id, from: [state], to: .running, rule: "claim",
                                              reason: "claimed by aurora process \(owner.pid)", at: now, set: claimColumns(now), in: db) else {
            throw SimpleFailure(.software, "remediation \(id) changed state while claimed in one transaction")
        }
        try AuditLog.append(AuditEntry(at: now, actor: actor, action: "remediation.start", subject: subject,
                                       detail: "claimed by aurora process \(owner.pid)", outcome: "running"), to: db)
    }
}
