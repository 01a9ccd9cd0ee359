import AuroraCore
import AuroraExecutors
import AuroraRemediation
import AuroraStore
import Foundation

/// Execution of a claimed remediation: the executor's gate, heartbeat, outcome recording and the
/// automatic kill switch after repeated failures.
extension RemediationFlow {
    // MARK: - Execution

    /// Executes a claimed (`running`) remediation; internal so tests can set a kill switch between claim and spawn.
    ///
    /// While it runs, SIGINT, SIGTERM and SIGHUP stop the executor's process group (SIGTERM, then
    /// SIGKILL after the kill grace) and the remediation is recorded `interrupted` by that signal;
    /// the result carries the signal so that the caller can exit 128 + its number.
    func execute(_ id: Int64, rendered: RenderedAction, plan: [String], actor: String) async -> RemediationResult {
        let interruption = self.interruption
        // The process-wide trap, registered only around execution: elsewhere a stop signal ends aurora at
        // once, which is right because nothing is left behind that recovery cannot explain.
        let trap = trapsSignals ? ProcessSignals.shared.register(ProcessSignals.stopSignals) { interruption.interrupt(by: $0) } : nil
        defer { if let trap { ProcessSignals.shared.unregister(trap) } }
        // The gate, the child-start record and the heartbeat run on other threads while this task
        // awaits the executor: they share the process's one connection, one at a time.
        let connection = SerializedConnection(store.database)
        let service = rendered.context.service
        let type = rendered.type.rawValue
        let clock = self.clock
        let gate: @Sendable () async -> String? = {
            do {
                let blocking = try connection.read { db in try KillSwitchStore.blocking(service: service, type: type, in: db, at: clock.now()) }
                if let item = blocking.first {
                    return "kill switch \(item.label) is on (set by \(item.setBy)\(item.reason.isEmpty ? "" : ": \(item.reason)")) (killswitch.\(item.label))"
                }
                return nil
            } catch {
                return "cannot re-check the kill switches just before starting, so nothing was started: \(error)"
            }
        }
        let onStart: @Sendable (ProcessStart) -> Void = { start in
            _ = try? connection.write { db in
                try RemediationStore.update(id, whileIn: .running, set: [
                    (.childPID, .integer(Int64(start.pid))), (.childProcessGroup, .integer(Int64(start.processGroup))),
                    (.heartbeat, .integer(clock.now().unixMilliseconds)),
                ], in: db)
            }
        }
        let executor = self.executor
        // A heartbeat every 10 s while the executor runs: the last sign of life, shown when a crash
        // leaves the row `interrupted` (liveness itself is decided by pid and process start time).
        let report = await withTaskGroup(of: ExecutionReport?.self) { group -> ExecutionReport in
            group.addTask {
                await executor.execute(rendered, idempotencyKey: "aurora-remediation-\(id)", gate: gate, interruption: interruption,
                                       onProcessStart: onStart)
            }
            group.addTask {
                while true {
                    do { try await Task.sleep(nanoseconds: 10_000_000_000) } catch { return nil }
                    _ = try? connection.write { db in
                        try RemediationStore.update(id, whileIn: .running,
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
        var ending = Ending(report.outcome)
        if interruption.signal != nil, report.outcome != .succeeded {
            ending = Ending(state: .interrupted, name: "interrupted",
                            reason: report.outcome.reason + "; never re-run automatically: check \(service) and act by hand")
        }
        var result = RemediationResult(kind: .executed, id: id, state: ending.state, rule: "outcome.\(ending.name)",
                                       reason: ending.reason, nextAllowedAt: nil, plan: plan, checks: [], report: report)
        result.interruptedBy = interruption.signal
        do {
            try finish(id, report: report, ending: ending, service: service, actor: actor)
        } catch {
            result.reason += "; recording the outcome failed: \(error)"
        }
        return result
    }

    /// How a remediation ended: its state, outcome name and reason.
    struct Ending {
        var state: RemediationState
        var name: String
        var reason: String

        init(state: RemediationState, name: String, reason: String) {
            self.state = state
            self.name = name
            self.reason = reason
        }

        init(_ outcome: ExecutionOutcome) {
            self.init(state: outcome.state, name: outcome.name, reason: outcome.reason.isEmpty ? "succeeded" : outcome.reason)
        }
    }

    func finish(_ id: Int64, report: ExecutionReport, ending: Ending, service: String, actor: String) throws {
        let now = clock.now()
        let state = ending.state
        var output = report.action.output
        if !report.action.errorOutput.isEmpty { output += (output.isEmpty ? "" : "\n") + report.action.errorOutput }
        if output.count > 4000 { output = "…" + String(output.suffix(4000)) }
        try store.database.write { db in
            let reason = ending.reason
            let changed = try RemediationStore.transition(
                id, from: [.running], to: state, rule: "outcome.\(ending.name)", reason: reason, at: now,
                set: [(.finishedAt, .integer(now.unixMilliseconds)), (.outcome, .text(ending.name)), (.attempts, .integer(Int64(report.action.attempts))),
                      (.output, .text(output)), (.durationMilliseconds, .integer(Int64((report.duration * 1000).rounded()))),
                      (.heartbeat, .integer(now.unixMilliseconds))], in: db)
            var durations = "action \(String(format: "%.3f", report.action.duration))s, \(report.action.attempts) attempt(s)"
            if let health = report.health { durations += "; health check \(health.passed ? "passed" : "failed") after \(health.attempts) tr\(health.attempts == 1 ? "y" : "ies")" }
            if let rollback = report.rollback { durations += "; rollback \(rollback.succeeded ? "succeeded" : "failed")" }
            durations += "; total \(String(format: "%.3f", report.duration))s"
            let subject = "service:\(service):remediation:\(id)"
            try AuditLog.append(AuditEntry(at: now, actor: actor, action: "remediation.finish", subject: subject,
                                           detail: "\(reason) (\(durations))" + (changed ? "" : " [state was no longer running]"),
                                           outcome: ending.name), to: db)
            guard state == .failed || state == .rolledBack else { return }
            let limits = settings.policy.rateLimits
            let failures = try RemediationStore.rateCounts(service: service, now: now, in: db).consecutiveFailuresForService
            let alreadyOn = try KillSwitchStore.active(in: db, at: now).contains { $0.scope == .service && $0.target == service }
            if limits.shouldTripKillSwitch(consecutiveFailures: failures) && !alreadyOn {
                try KillSwitchStore.turnOn(KillSwitchRecord(scope: .service, target: service,
                                                            reason: limits.autoKillSwitchReason(service: service, consecutiveFailures: failures),
                                                            setBy: "aurora", setAt: now), in: db)
            }
        }
    }
}
