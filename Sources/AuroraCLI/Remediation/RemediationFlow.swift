import AuroraCore
import AuroraExecutors
import AuroraRemediation
import AuroraStore
import Foundation

/// The remediation flow over the database: request → kill switches → freeze windows → rate limits →
/// risk × confidence tier → governance → execute → health check → rollback → complete.
///
/// Every policy decision reads its snapshot and applies its verdict in ONE write transaction
/// (`BEGIN IMMEDIATE`), so concurrent processes cannot both pass a limit; every state change is
/// conditional on the state it leaves, so two approvers of one item execute it once. The kill
/// switches are read again just before the process starts (the executor's gate).
public final class RemediationFlow {
    let store: Store
    /// The mapped configuration.
    public let settings: RemediationSettings
    let clock: any WallClock
    let environment: [String: String]
    let owner: ProcessOwner
    let executor: ActionExecutor

    /// A flow for a command: its database, configuration, clock and environment (secrets are read from
    /// the environment only when an action is rendered).
    public convenience init(context: CommandContext) throws {
        try self.init(store: context.store(), settings: RemediationSettings.load(context.configuration()), clock: context.clock,
                      environment: context.environment)
    }

    /// A flow over explicit parts.
    public init(store: Store, settings: RemediationSettings, clock: any WallClock, environment: [String: String]) {
        self.store = store
        self.settings = settings
        self.clock = clock
        self.environment = environment
        let pid = getpid()
        owner = ProcessOwner(pid: pid, startTime: ProcessInspection.startTime(of: pid).map { Int64(truncatingIfNeeded: $0) } ?? 0)
        // Children get a minimal base environment, never aurora's whole one (it may hold secrets).
        var base: [String: String] = [:]
        for name in ["PATH", "HOME", "LANG", "LC_ALL", "TZ", "USER", "LOGNAME"] { base[name] = environment[name] }
        if base["PATH"] == nil { base["PATH"] = "/usr/local/bin:/usr/bin:/bin" }
        executor = ActionExecutor(baseEnvironment: base, killGrace: settings.killGrace)
    }

    /// True when `recover()` found rows to mark interrupted or expired (or kill switches to retire)
    /// but the database is read-only, so they are shown as last recorded.
    public private(set) var recoverySkipped = false

    /// A note for reading commands when `recoverySkipped`.
    public static let recoverySkippedNote =
        "note: the database is read-only: interrupted, expired and kill-switch changes are not recorded; items are shown as last recorded"

    /// Whether this flow already checked the database file.
    private var integrityVerified = false

    /// Fail closed: aurora never touches production on the strength of a damaged database (a corrupted
    /// kill-switch or rate-limit table could read as "allowed"). Checked once per command: a quick
    /// check reads the whole file, which is cheap next to running a remediation.
    private func verifyIntegrityOnce() throws {
        guard !integrityVerified else { return }
        try store.verifyIntegrity()
        integrityVerified = true
    }

    // MARK: - Crash recovery

    /// Run at the start of every remediation command: a `running` row whose owning aurora process is
    /// gone (pid and start time) becomes `interrupted` — never re-run —, queued rows past their
    /// time to live become `expired`, and kill switches past their `--until` are retired (each of
    /// these happens once: a clock stepped back later does not undo it). Returns the ids marked interrupted.
    @discardableResult
    public func recover() throws -> [Int64] {
        let db = store.database
        let now = clock.now()
        let (running, staleQueued, expiredSwitches) = try db.read { db in
            (try RemediationStore.list(states: ["running"], in: db),
             try db.scalar("SELECT count(*) FROM remediations WHERE state = 'queued' AND created_ms <= ?",
                           [.integer(now.addingTimeInterval(-settings.approval.pendingTTL).unixMilliseconds)])?.int64 ?? 0,
             try KillSwitchExpiry.count(at: now, in: db))
        }
        let dead = running.filter { !ownerIsAlive($0) }
        if dead.isEmpty && staleQueued == 0 && expiredSwitches == 0 { return [] }
        // A read-only database (issue 9 case 12) cannot record any of it: reading commands show the rows
        // as last recorded (and say so); writing commands fail at their own write with the path and a hint.
        if db.isReadOnly {
            recoverySkipped = true
            return []
        }
        return try db.write { db in
            try KillSwitchExpiry.retire(at: now, in: db)
            var interrupted: [Int64] = []
            for row in dead {
                let child: String
                if let pgid = row.childProcessGroup {
                    child = ProcessInspection.groupIsAlive(pgid)
                        ? "its executor process group \(pgid) is STILL RUNNING (stop it with kill -TERM -\(pgid) if needed)"
                        : "its executor process group \(pgid) has exited; its outcome is unknown"
                } else {
                    child = "no executor process had started"
                }
                let heartbeat = row.heartbeat.map { "; last heartbeat \(TimeText.iso($0))" } ?? ""
                let reason = "the aurora process \(row.ownerPID.map(String.init) ?? "?") running it is gone\(heartbeat); \(child); "
                    + "never re-run automatically: check \(row.service) and act by hand"
                let changed = try RemediationStore.transition(
                    row.id, from: ["running"], to: RemediationState.interrupted.rawValue, rule: "recovery.owner-gone", reason: reason, at: now,
                    set: [(.finishedAt, .integer(now.unixMilliseconds)), (.outcome, .text("interrupted"))], in: db)
                guard changed else { continue }
                try AuditLog.append(AuditEntry(at: now, actor: "aurora", action: "remediation.interrupted", subject: row.auditSubject,
                                               detail: reason, outcome: "interrupted"), to: db)
                interrupted.append(row.id)
            }
            _ = try RemediationStore.expirePending(olderThan: settings.approval.pendingTTL, at: now, actor: "aurora", in: db)
            return interrupted
        }
    }

    func ownerIsAlive(_ row: RemediationRecord) -> Bool {
        guard let pid = row.ownerPID, pid > 0 else { return false }
        if let start = row.ownerStartTime, start > 0 {
            return ProcessInspection.isSameProcessAlive(pid: pid, startTime: UInt64(start))
        }
        return kill(pid, 0) == 0 || errno == EPERM
    }

    // MARK: - Rendering and policy inputs

    /// The action definition and its rendering for a service, parameters and incident.
    public func render(action name: String, service: String, parameters: [String: String], incident: String?) throws
        -> (ActionDefinition, RenderedAction)
    {
        guard let definition = settings.actions[name] else {
            let known = settings.actionNames
            throw UsageError("no action named \(name) in remediation.actions"
                             + (known.isEmpty ? " (none is configured: see `aurora init`)" : " (configured: \(known.joined(separator: ", ")))"))
        }
        guard !service.isEmpty else { throw UsageError("--service: empty service name") }
        let declared = settings.parameterDefaults[name] ?? [:]
        var merged: [String: String] = [:]
        for (key, value) in declared where !value.isEmpty { merged[key] = value }
        for (key, value) in parameters {
            if !declared.isEmpty && declared[key] == nil {
                throw UsageError("action \(name) takes no parameter \(key) (it takes: \(declared.keys.sorted().joined(separator: ", ")))")
            }
            merged[key] = value
        }
        for (key, value) in declared where value.isEmpty && merged[key] == nil {
            throw UsageError("action \(name) needs --param \(key)=VALUE")
        }
        let rendered = try ActionRenderer.render(definition, context: TemplateContext(service: service, incident: incident, parameters: merged),
                                                 secrets: environment)
        return (definition, rendered)
    }

    static func engineSwitch(_ item: AuroraStore.KillSwitch) -> AuroraRemediation.KillSwitch {
        let scope: AuroraRemediation.KillSwitchScope
        switch item.scope {
        case .global: scope = .global
        case .service: scope = .service(item.target)
        case .type: scope = .actionType(ActionType(item.target))
        }
        return AuroraRemediation.KillSwitch(scope: scope, reason: item.reason, setBy: item.setBy, setAt: item.setAt, expiresAt: item.expiresAt)
    }

    static func engineWindow(_ record: FreezeWindowRecord) -> FreezeWindow? {
        let id = String(record.id)
        if let text = record.weekly {
            guard let weekly = try? WeeklyWindow(parsing: text) else { return nil }
            return FreezeWindow(id: id, service: record.service, schedule: .weekly(weekly), reason: record.reason)
        }
        guard let from = record.from, let until = record.until else { return nil }
        return FreezeWindow(id: id, service: record.service, schedule: .oneOff(from: from, until: until), reason: record.reason)
    }

    /// Everything the decision needs, read inside the caller's transaction.
    func snapshot(service: String, incident: String?, now: Date, in db: Database) throws -> PolicySnapshot {
        let switches = try KillSwitchStore.active(in: db, at: now).map(Self.engineSwitch)
        let windows = settings.freezeWindows + (try FreezeWindowStore.list(in: db).compactMap(Self.engineWindow))
        let counts = try RemediationStore.rateCounts(service: service, now: now, in: db)
        let touched = try incident.map { try RemediationStore.servicesTouched(incident: $0, in: db) } ?? []
        return PolicySnapshot(
            killSwitches: switches, freezeWindows: windows,
            rateLimits: RateLimitSnapshot(running: counts.running, recentStarts: counts.recentStarts, lastStartForService: counts.lastStartForService,
                                          consecutiveFailuresForService: counts.consecutiveFailuresForService),
            servicesTouchedByIncident: touched)
    }

    static func trail(_ decision: PolicyDecision) -> String {
        decision.checks.map { "\($0.check): \($0.passed ? "pass" : "REFUSED") (\($0.rule))" }.joined(separator: "; ")
    }

    private func claimColumns(_ now: Date) -> [(RemediationStore.Column, SQLValue)] {
        [(.ownerPID, .integer(Int64(owner.pid))), (.ownerStartTime, .integer(owner.startTime)),
         (.startedAt, .integer(now.unixMilliseconds)), (.heartbeat, .integer(now.unixMilliseconds))]
    }

    // MARK: - Request

    private enum Step {
        case done(RemediationResult)
        case execute(Int64)
    }

    /// Runs a request through the whole flow and, when policy allows, executes it. This is what
    /// `aurora remediate` and `aurora heal` call.
    public func run(_ request: RemediationRequest) async throws -> RemediationResult {
        if !request.dryRun { try verifyIntegrityOnce() }
        try recover()
        let (definition, rendered) = try render(action: request.action, service: request.service, parameters: request.parameters,
                                                incident: request.incident)
        let plan = rendered.redactedLines
        let now = clock.now()
        let policyRequest = PolicyRequest(service: request.service, type: definition.type, tier: rendered.tier, confidence: request.confidence,
                                          incident: request.incident, dryRun: request.dryRun)
        let parameters = rendered.context.parameters
        let step = try store.database.write { db -> Step in
            let decision = RemediationPolicy.decide(policyRequest, snapshot: try snapshot(service: request.service, incident: request.incident,
                                                                                         now: now, in: db),
                                                    configuration: settings.policy, now: now)
            var result = RemediationResult(kind: .refused, id: nil, state: nil, rule: decision.rule, reason: decision.reason,
                                           nextAllowedAt: decision.nextAllowedAt, plan: plan, checks: decision.checks, report: nil)
            if decision.dryRun {
                result.kind = .dryRun
                try AuditLog.append(AuditEntry(
                    at: now, actor: request.actor, action: "remediation.dry-run", subject: "service:\(request.service):dry-run",
                    detail: "\(request.action): \(decision.reason) [\(Self.trail(decision))]\n" + plan.joined(separator: "\n"),
                    outcome: decision.verdict.rawValue), to: db)
                return .done(result)
            }
            var record = RemediationRecord(
                action: request.action, actionType: definition.type.rawValue, service: request.service, parameters: parameters,
                renderedHash: rendered.hash, description: rendered.redactedDescription, requester: request.actor,
                requestReason: request.reason, tier: rendered.tier.rawValue, confidence: request.confidence, incident: request.incident,
                state: RemediationState.queued.rawValue, rule: decision.rule, reason: decision.reason, createdAt: now)
            let outcome: String
            switch decision.verdict {
            case .refused, .escalate:
                record.state = RemediationState.refused.rawValue
                record.finishedAt = now
                record.outcome = decision.verdict == .escalate ? "escalated" : "refused"
                outcome = record.outcome ?? "refused"
                result.kind = decision.verdict == .escalate ? .escalated : .refused
            case .queueForApproval:
                outcome = "queued"
                result.kind = .queued
            case .execute:
                record.state = RemediationState.approved.rawValue
                record.approver = "policy"
                record.approvedAt = now
                outcome = "approved by policy"
                result.kind = .executed
            }
            result.state = RemediationState(rawValue: record.state)
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

    private func claim(_ id: Int64, from state: RemediationState, subject: String, actor: String, now: Date, in db: Database) throws {
        guard try RemediationStore.transition(id, from: [state.rawValue], to: RemediationState.running.rawValue, rule: "claim",
                                              reason: "claimed by aurora process \(owner.pid)", at: now, set: claimColumns(now), in: db) else {
            throw SimpleFailure(.software, "remediation \(id) changed state while claimed in one transaction")
        }
        try AuditLog.append(AuditEntry(at: now, actor: actor, action: "remediation.start", subject: subject,
                                       detail: "claimed by aurora process \(owner.pid)", outcome: "running"), to: db)
    }

    // MARK: - Execution

    /// Executes a claimed (`running`) remediation; internal so tests can set a kill switch between claim and spawn.
    func execute(_ id: Int64, rendered: RenderedAction, plan: [String], actor: String) async -> RemediationResult {
        let path = store.path
        let service = rendered.context.service
        let type = rendered.type.rawValue
        let clock = self.clock
        let gate: @Sendable () async -> String? = {
            do {
                let db = try Database(path: path, options: Database.Options(create: false))
                if let item = try KillSwitchStore.blocking(service: service, type: type, in: db, at: clock.now()).first {
                    return "kill switch \(item.label) is on (set by \(item.setBy)\(item.reason.isEmpty ? "" : ": \(item.reason)")) (killswitch.\(item.label))"
                }
                return nil
            } catch {
                return "cannot re-check the kill switches just before starting, so nothing was started: \(error)"
            }
        }
        let onStart: @Sendable (ProcessStart) -> Void = { start in
            guard let db = try? Database(path: path, options: Database.Options(create: false)) else { return }
            _ = try? db.write { db in
                try RemediationStore.update(id, whileIn: RemediationState.running.rawValue, set: [
                    (.childPID, .integer(Int64(start.pid))), (.childProcessGroup, .integer(Int64(start.processGroup))),
                    (.heartbeat, .integer(clock.now().unixMilliseconds)),
                ], in: db)
            }
        }
        let executor = self.executor
        // A heartbeat every 10 s while the executor runs: the last sign of life, shown when a crash
        // leaves the row `interrupted` (liveness itself is decided by pid and process start time).
        let report = await withTaskGroup(of: ExecutionReport?.self) { group -> ExecutionReport in
            group.addTask { await executor.execute(rendered, idempotencyKey: "aurora-remediation-\(id)", gate: gate, onProcessStart: onStart) }
            group.addTask {
                while true {
                    do { try await Task.sleep(nanoseconds: 10_000_000_000) } catch { return nil }
                    guard let db = try? Database(path: path, options: Database.Options(create: false)) else { continue }
                    _ = try? db.write { db in
                        try RemediationStore.update(id, whileIn: RemediationState.running.rawValue,
                                                    set: [(.heartbeat, .integer(clock.now().unixMilliseconds))], in: db)
                    }
                }
            }
            var finished: ExecutionReport?
            while let item = await group.next() {
                if let item {
                    finished = item
                    group.cancelAll()
                }
            }
            let missing = InvocationReport(succeeded: false, unknown: true, reason: "the executor ended without a report")
            return finished ?? ExecutionReport(outcome: .unknown(reason: "the executor ended without a report"), action: missing,
                                               health: nil, rollback: nil, duration: 0)
        }
        let state = report.outcome.state
        var result = RemediationResult(kind: .executed, id: id, state: state, rule: "outcome.\(report.outcome.name)",
                                       reason: report.outcome.reason.isEmpty ? "succeeded" : report.outcome.reason, nextAllowedAt: nil,
                                       plan: plan, checks: [], report: report)
        do {
            try finish(id, report: report, service: service, actor: actor)
        } catch {
            result.reason += "; recording the outcome failed: \(error)"
        }
        return result
    }

    private func finish(_ id: Int64, report: ExecutionReport, service: String, actor: String) throws {
        let now = clock.now()
        let outcome = report.outcome
        let state = outcome.state
        var output = report.action.output
        if !report.action.errorOutput.isEmpty { output += (output.isEmpty ? "" : "\n") + report.action.errorOutput }
        if output.count > 4000 { output = "…" + String(output.suffix(4000)) }
        try store.database.write { db in
            let reason = outcome.reason.isEmpty ? "succeeded" : outcome.reason
            let changed = try RemediationStore.transition(
                id, from: [RemediationState.running.rawValue], to: state.rawValue, rule: "outcome.\(outcome.name)", reason: reason, at: now,
                set: [(.finishedAt, .integer(now.unixMilliseconds)), (.outcome, .text(outcome.name)), (.attempts, .integer(Int64(report.action.attempts))),
                      (.output, .text(output)), (.durationMilliseconds, .integer(Int64((report.duration * 1000).rounded()))),
                      (.heartbeat, .integer(now.unixMilliseconds))], in: db)
            var durations = "action \(String(format: "%.3f", report.action.duration))s, \(report.action.attempts) attempt(s)"
            if let health = report.health { durations += "; health check \(health.passed ? "passed" : "failed") after \(health.attempts) tr\(health.attempts == 1 ? "y" : "ies")" }
            if let rollback = report.rollback { durations += "; rollback \(rollback.succeeded ? "succeeded" : "failed")" }
            durations += "; total \(String(format: "%.3f", report.duration))s"
            let subject = "service:\(service):remediation:\(id)"
            try AuditLog.append(AuditEntry(at: now, actor: actor, action: "remediation.finish", subject: subject,
                                           detail: "\(reason) (\(durations))" + (changed ? "" : " [state was no longer running]"),
                                           outcome: outcome.name), to: db)
            guard state == .failed || state == .rolledBack else { return }
            let limits = settings.policy.rateLimits
            let failures = try RemediationStore.rateCounts(service: service, now: now, in: db).consecutiveFailuresForService
            let alreadyOn = try KillSwitchStore.active(in: db, at: now).contains { $0.scope == .service && $0.target == service }
            if limits.shouldTripKillSwitch(consecutiveFailures: failures) && !alreadyOn {
                try KillSwitchStore.turnOn(AuroraStore.KillSwitch(scope: .service, target: service,
                                                                  reason: limits.autoKillSwitchReason(service: service, consecutiveFailures: failures),
                                                                  setBy: "aurora", setAt: now), in: db)
            }
        }
    }

    // MARK: - Approval

    /// Approves a queued remediation and executes it: approval, policy re-check (kill switches,
    /// freezes, rate limits, governance) and claim in one transaction, then execution. Another
    /// process that got there first leaves `kind == .notPending`.
    public func approve(_ id: Int64, approver: String) async throws -> RemediationResult {
        try verifyIntegrityOnce()
        try recover()
        let now = clock.now()
        var claimed: (RenderedAction, [String])?
        let result = try store.database.write { db -> RemediationResult in
            guard let row = try RemediationStore.get(id, in: db) else {
                throw SimpleFailure(.noInput, "no remediation \(id) (see `aurora queue`)")
            }
            var result = RemediationResult(kind: .refused, id: id, state: RemediationState(rawValue: row.state), rule: row.rule, reason: row.reason,
                                           nextAllowedAt: nil, plan: row.description.split(separator: "\n").map(String.init), checks: [], report: nil)
            guard row.state == RemediationState.queued.rawValue else {
                result.kind = .notPending
                result.rule = "approval.not-pending"
                result.reason = "remediation \(id) is no longer pending: it is \(row.state)" + (row.approver.map { " (approved by \($0))" } ?? "")
                return result
            }
            func refuse(_ rule: String, _ reason: String, final: Bool) throws -> RemediationResult {
                if final {
                    try RemediationStore.transition(id, from: [RemediationState.queued.rawValue], to: RemediationState.refused.rawValue, rule: rule,
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
            guard try RemediationStore.transition(id, from: [RemediationState.queued.rawValue], to: RemediationState.approved.rawValue,
                                                  rule: "approval.granted", reason: check.reason, at: now,
                                                  set: [(.approver, .text(approver)), (.approvedAt, .integer(now.unixMilliseconds))], in: db) else {
                result.kind = .notPending
                result.reason = "remediation \(id) is no longer pending"
                return result
            }
            let approval = Approval(renderedHash: row.renderedHash, requester: row.requester, approver: approver, approvedAt: now)
            let validity = settings.approval.validate(approval, currentHash: rendered.hash, now: now)
            guard validity.valid else {
                try RemediationStore.transition(id, from: [RemediationState.approved.rawValue],
                                                to: (validity.expired ? RemediationState.expired : .refused).rawValue,
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
    public func reject(_ id: Int64, actor: String, reason: String) throws -> RemediationResult {
        try recover()
        let now = clock.now()
        return try store.database.write { db in
            guard let row = try RemediationStore.get(id, in: db) else {
                throw SimpleFailure(.noInput, "no remediation \(id) (see `aurora queue`)")
            }
            var result = RemediationResult(kind: .rejected, id: id, state: .rejected, rule: "approval.rejected", reason: reason, nextAllowedAt: nil,
                                           plan: row.description.split(separator: "\n").map(String.init), checks: [], report: nil)
            guard try RemediationStore.transition(id, from: [RemediationState.queued.rawValue], to: RemediationState.rejected.rawValue,
                                                  rule: "approval.rejected", reason: "rejected by \(actor): \(reason)", at: now,
                                                  set: [(.approver, .text(actor)), (.finishedAt, .integer(now.unixMilliseconds))], in: db) else {
                result.kind = .notPending
                result.state = RemediationState(rawValue: row.state)
                result.rule = "approval.not-pending"
                result.reason = "remediation \(id) is no longer pending: it is \(row.state)"
                return result
            }
            try AuditLog.append(AuditEntry(at: now, actor: actor, action: "remediation.reject", subject: row.auditSubject,
                                           detail: "requested by \(row.requester): \(reason)", outcome: "rejected"), to: db)
            return result
        }
    }

    /// Items waiting for a decision, oldest first.
    public func pending() throws -> [RemediationRecord] {
        try store.database.read { try RemediationStore.list(states: [RemediationState.queued.rawValue], in: $0) }
    }
}
