import AuroraCore
import AuroraRemediation
import Foundation
import Synchronization

/// Executes a rendered action: the action, then its health check, then its rollback when either
/// fails. Every text in the report is redacted with the action's secrets.
///
/// It never executes a `critical` action (defence in depth: the policy already escalates those),
/// never rolls back an `unknown` outcome (nobody knows what to undo), and runs a rollback at most once.
package struct ActionExecutor: Sendable {
    let processRunner: any ProcessRunner
    let http: HTTPExecutor
    let sleeper: any Sleeper
    let clock: any MonotonicClock
    /// The environment every child starts from (typically `PATH`, `HOME`, `LANG` of aurora's own);
    /// the rendered `AURORA_*` and configured variables are added on top.
    package var baseEnvironment: [String: String]
    /// Seconds between SIGTERM and SIGKILL when a process times out.
    package var killGrace: Double
    /// Bytes of stdout and of stderr kept (the tail).
    package var outputLimit: Int

    /// Creates an executor; the defaults are the real runner, URLSession, real sleeping and the monotonic clock.
    package init(processRunner: any ProcessRunner = SubprocessRunner(), httpTransport: any HTTPTransport = HelperProcessTransport(),
                sleeper: any Sleeper = TaskSleeper(), clock: any MonotonicClock = SystemMonotonicClock(),
                baseEnvironment: [String: String] = [:], killGrace: Double = 5, outputLimit: Int = 1 << 20) {
        self.processRunner = processRunner
        self.http = HTTPExecutor(transport: httpTransport, sleeper: sleeper, clock: clock)
        self.sleeper = sleeper
        self.clock = clock
        self.baseEnvironment = baseEnvironment
        self.killGrace = killGrace
        self.outputLimit = outputLimit
    }

    /// Executes `action`. `idempotencyKey` (the remediation's id) goes on every HTTP attempt;
    /// `onProcessStart` receives each child's pid and process group as soon as it exists (action,
    /// probes and rollback), so the caller can record them for crash recovery. `gate` runs just before
    /// the action starts (after any claim): returning a reason refuses it and nothing is started —
    /// re-read the kill switches there. `interruption`, when given, registers every child's process
    /// group (so a signal to aurora stops them) and is checked between steps: once interrupted nothing
    /// more starts — no probe, no retry, no rollback — and the outcome is `unknown` (or `notStarted`
    /// when nothing had started).
    package func execute(_ action: RenderedAction, idempotencyKey: String,
                        gate: @escaping @Sendable () async -> String? = { nil },
                        interruption: ExecutionInterruption? = nil,
                        onProcessStart: @escaping @Sendable (ProcessStart) -> Void = { _ in }) async -> ExecutionReport {
        let started = clock.seconds()
        let redactor = action.redactor
        let isHTTP: Bool = if case .http = action.invocation { true } else { false }
        /// What an interruption after the action started means for its outcome.
        func interrupted(_ reason: String) -> ExecutionOutcome {
            .unknown(reason: reason + (isHTTP ? ": unknown: the request may have been sent"
                                              : ": the executor's process group was stopped; its outcome is unknown"))
        }
        func notStarted(_ reason: String) -> ExecutionReport {
            let report = InvocationReport(succeeded: false, reason: redactor.redact(reason), attempts: 0)
            return ExecutionReport(outcome: .notStarted(reason: report.reason ?? ""), action: report, health: nil, rollback: nil, duration: 0)
        }
        guard action.tier != .critical else { return notStarted("critical actions are never executed by aurora (tier.critical)") }
        if let refusal = await gate() { return notStarted(refusal) }
        if let reason = interruption?.reason { return notStarted("\(reason) before the action started: nothing was started") }
        let main = await invoke(action.invocation, timeout: action.timeout, idempotencyKey: idempotencyKey, redactor: redactor,
                                interruption: interruption, onProcessStart: onProcessStart)
        func finish(_ outcome: ExecutionOutcome, health: HealthReport? = nil, rollback: InvocationReport? = nil) -> ExecutionReport {
            ExecutionReport(outcome: outcome, action: main, health: health, rollback: rollback, duration: clock.seconds() - started)
        }
        if let reason = interruption?.reason { return finish(interrupted(reason)) }
        if main.unknown { return finish(.unknown(reason: main.reason ?? "outcome unknown")) }

        var health: HealthReport?
        let failure: String
        if !main.succeeded {
            failure = main.reason ?? "failed"
        } else if let check = action.healthCheck {
            let report = await checkHealth(check, redactor: redactor, interruption: interruption, onProcessStart: onProcessStart)
            health = report
            if report.passed { return finish(.succeeded, health: report) }
            if let reason = interruption?.reason { return finish(interrupted(reason), health: report) }
            failure = "health check failed after \(report.attempts) tr\(report.attempts == 1 ? "y" : "ies"): \(report.last.reason ?? "failed")"
        } else {
            return finish(.succeeded)
        }

        guard let rollback = action.rollback else { return finish(.failed(reason: failure), health: health) }
        if let reason = interruption?.reason { return finish(interrupted(reason), health: health) }
        let undo = await invoke(rollback.invocation, timeout: rollback.timeout, idempotencyKey: idempotencyKey + ":rollback",
                                redactor: redactor, interruption: interruption, onProcessStart: onProcessStart)
        if undo.succeeded { return finish(.rolledBack(reason: failure), health: health, rollback: undo) }
        return finish(.rollbackFailed(reason: failure, rollbackReason: undo.reason ?? "failed"), health: health, rollback: undo)
    }

    /// Runs a health check: up to `retries + 1` tries, `interval` seconds apart, until one passes.
    package func checkHealth(_ check: RenderedHealthCheck, redactor: Redactor, interruption: ExecutionInterruption? = nil,
                            onProcessStart: @escaping @Sendable (ProcessStart) -> Void = { _ in }) async -> HealthReport {
        let started = clock.seconds()
        var attempts = 0
        var last = InvocationReport(succeeded: false, reason: "not run", attempts: 0)
        while attempts <= check.retries && interruption?.reason == nil {
            if attempts > 0 {
                do { try await sleeper.sleep(seconds: check.interval) } catch { break }
            }
            attempts += 1
            last = await invoke(check.probe, timeout: check.timeout, idempotencyKey: nil, redactor: redactor, interruption: interruption,
                                onProcessStart: onProcessStart)
            if last.succeeded { break }
        }
        return HealthReport(passed: last.succeeded, attempts: attempts, duration: clock.seconds() - started, last: last)
    }

    /// Runs one invocation (process or HTTP) and reports, redacted.
    /// Each child's group is registered with `interruption` while it runs.
    package func invoke(_ invocation: RenderedInvocation, timeout: Double, idempotencyKey: String?, redactor: Redactor,
                       interruption: ExecutionInterruption? = nil,
                       onProcessStart: @escaping @Sendable (ProcessStart) -> Void = { _ in }) async -> InvocationReport {
        let started = StartedGroups()
        let onProcessStart: @Sendable (ProcessStart) -> Void = { start in
            started.add(start.processGroup)
            interruption?.register(start.processGroup)
            onProcessStart(start)
        }
        // The children are reaped when the invocation returns: their pgids may be reused from then on.
        defer { for pgid in started.all { interruption?.unregister(pgid) } }
        switch invocation {
        case let .http(request):
            return await http.execute(request, timeout: timeout, idempotencyKey: idempotencyKey, redactor: redactor,
                                      stopRequested: { interruption?.reason }, onProcessStart: onProcessStart)
        case let .process(process):
            var environment = baseEnvironment
            for (name, value) in process.resolvedEnvironment { environment[name] = value }
            let request = ProcessRequest(argv: process.argv, environment: environment, workingDirectory: process.workingDirectory,
                                         timeout: timeout, killGrace: killGrace, outputLimit: outputLimit)
            let started = clock.seconds()
            do {
                let result = try await processRunner.run(request, onStart: onProcessStart)
                let reason: String?
                if result.timedOut {
                    reason = "timeout after \(DurationTextFormat.seconds(timeout)) (process group stopped)"
                } else if !result.termination.isSuccess {
                    let lastLine = result.stderr.text.split(separator: "\n").last.map { ": \($0)" } ?? ""
                    reason = "\(result.termination)\(lastLine)"
                } else {
                    reason = nil
                }
                return InvocationReport(
                    succeeded: reason == nil, reason: reason.map { redactor.redact($0) }, attempts: 1, duration: result.duration,
                    termination: result.termination.description, timedOut: result.timedOut, processStart: result.start,
                    output: redactor.redact(result.stdout.text), errorOutput: redactor.redact(result.stderr.text),
                    outputTruncated: result.stdout.truncated || result.stderr.truncated
                )
            } catch {
                return InvocationReport(succeeded: false, reason: redactor.redact(String(describing: error)), attempts: 1,
                                        duration: clock.seconds() - started)
            }
        }
    }
}

/// The process groups one invocation started (its attempts), to unregister when it returns.
private final class StartedGroups: Sendable {
    private let groups = Mutex<[Int32]>([])
    func add(_ pgid: Int32) { groups.withLock { $0.append(pgid) } }
    var all: [Int32] { groups.withLock { $0 } }
}

/// Formats seconds for reasons without pulling the whole duration parser in.
enum DurationTextFormat {
    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value))s" : "\(value)s"
    }
}
