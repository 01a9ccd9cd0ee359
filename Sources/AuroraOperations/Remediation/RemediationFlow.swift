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
///
/// The flow is split by job: recovery of interrupted work (`RemediationRecovery.swift`), request and
/// decision (`RemediationRequests.swift`), execution with heartbeat and outcome recording
/// (`RemediationExecution.swift`), approval and rejection (`RemediationApproval.swift`).
package final class RemediationFlow {
    package let store: Store
    /// The mapped configuration.
    package let settings: RemediationSettings
    let clock: any WallClock
    let environment: [String: String]
    let owner: ProcessOwner
    let executor: ActionExecutor

    /// A flow over an operations context: its database, configuration, clock, environment (secrets are
    /// read from it only when an action is rendered), process runner and HTTP transport.
    package convenience init(context: OperationsContext) throws {
        self.init(store: context.store, settings: try RemediationSettings.load(context.configuration), clock: context.clock,
                  environment: context.environment, processRunner: context.processRunner, httpTransport: context.httpTransport)
    }

    /// A flow over explicit parts.
    package init(store: Store, settings: RemediationSettings, clock: any WallClock, environment: [String: String],
                 processRunner: any ProcessRunner = SubprocessRunner(), httpTransport: any HTTPTransport = HelperProcessTransport()) {
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
        interruption = ExecutionInterruption(killGrace: settings.killGrace)
        executor = ActionExecutor(processRunner: processRunner, httpTransport: httpTransport, baseEnvironment: base, killGrace: settings.killGrace)
    }

    /// Stops the executor's process groups when aurora is interrupted; once interrupted, this flow
    /// starts nothing more (a heal pass stops at the next incident).
    package let interruption: ExecutionInterruption
    /// Whether `execute` registers with the process-wide trap (`ProcessSignals`) for SIGINT, SIGTERM and
    /// SIGHUP while it runs (the command line). A caller that handles the signals for the whole process
    /// (`aurora watch`) turns it off and calls `interrupt(by:)`.
    package var trapsSignals = true

    /// Stops every executor process group of this flow and records the work as interrupted by `signal`.
    package func interrupt(by signal: Int32) { interruption.interrupt(by: signal) }

    /// True when `recover()` found rows to mark interrupted or expired (or kill switches to retire)
    /// but the database is read-only, so they are shown as last recorded.
    package internal(set) var recoverySkipped = false

    /// A note for reading commands when `recoverySkipped`.
    package static let recoverySkippedNote =
        "note: the database is read-only: interrupted, expired and kill-switch changes are not recorded; items are shown as last recorded"

    /// Whether this flow already checked the database file.
    var integrityVerified = false

    /// Fail closed: aurora never touches production on the strength of a damaged database (a corrupted
    /// kill-switch or rate-limit table could read as "allowed"). Checked once per command: a quick
    /// check reads the whole file, which is cheap next to running a remediation.
    func verifyIntegrityOnce() throws {
        guard !integrityVerified else { return }
        try store.verifyIntegrity()
        integrityVerified = true
    }

    // MARK: - Rendering and policy inputs

    /// The action definition and its rendering for a service, parameters and incident.
    package func render(action name: String, service: String, parameters: [String: String], incident: String?) throws
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

    static func engineSwitch(_ item: KillSwitchRecord) -> KillSwitch {
        let scope: KillSwitchScope
        switch item.scope {
        case .global: scope = .global
        case .service: scope = .service(item.target)
        case .type: scope = .actionType(ActionType(item.target))
        }
        return KillSwitch(scope: scope, reason: item.reason, setBy: item.setBy, setAt: item.setAt, expiresAt: item.expiresAt)
    }

    package static func engineWindow(_ record: FreezeWindowRecord) -> FreezeWindow? {
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

    func claimColumns(_ now: Date) -> [(RemediationStore.Column, SQLValue)] {
        [(.ownerPID, .integer(Int64(owner.pid))), (.ownerStartTime, .integer(owner.startTime)),
         (.startedAt, .integer(now.unixMilliseconds)), (.heartbeat, .integer(now.unixMilliseconds))]
    }

    /// Items waiting for a decision, oldest first.
    package func pending() throws -> [RemediationRecord] {
        try store.database.read { try RemediationStore.list(states: [.queued], in: $0) }
    }
}
