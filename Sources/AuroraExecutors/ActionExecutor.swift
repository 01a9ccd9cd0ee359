import AuroraRemediation
import Foundation

/// Executes a rendered action: the action, then its health check, then its rollback when either
/// fails. Every text in the report is redacted with the action's secrets.
///
/// It never executes a `critical` action (defence in depth: the policy already escalates those),
/// never rolls back an `unknown` outcome (nobody knows what to undo), and runs a rollback at most once.
public struct ActionExecutor: Sendable {
    let processRunner: any ProcessRunner
    let http: HTTPExecutor
    let sleeper: any Sleeper
    let clock: any MonotonicClock
    /// The environment every child starts from (typically `PATH`, `HOME`, `LANG` of aurora's own);
    /// the rendered `AURORA_*` and configured variables are added on top.
    public var baseEnvironment: [String: String]
    /// Seconds between SIGTERM and SIGKILL when a process times out.
    public var killGrace: Double
    /// Bytes of stdout and of stderr kept (the tail).
    public var outputLimit: Int

    /// Creates an executor; the defaults are the real runner, URLSession, real sleeping and the monotonic clock.
    public init(processRunner: any ProcessRunner = SubprocessRunner(), httpTransport: any HTTPTransport = HelperProcessTransport(),
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
    /// re-read the kill switches there.
    public func execute(_ action: RenderedAction, idempotencyKey: String,
                        gate: @escaping @Sendable () async -> String? = { nil },
                        onProcessStart: @escaping @Sendable (ProcessStart) -> Void = { _ in }) async -> ExecutionReport {
        let started = clock.seconds()
        let redactor = action.redactor
        func notStarted(_ reason: String) -> ExecutionReport {
            let report = InvocationReport(succeeded: false, reason: redactor.redact(reason), attempts: 0)
            return ExecutionReport(outcome: .notStarted(reason: report.reason ?? ""), action: report, health: nil, rollback: nil, duration: 0)
        }
        guard action.tier != .critical else { return notStarted("critical actions are never executed by aurora (tier.critical)") }
        if let refusal = await gate() { return notStarted(refusal) }
        let main = await invoke(action.invocation, timeout: action.timeout, idempotencyKey: idempotencyKey, redactor: redactor,
                                onProcessStart: onProcessStart)
        func finish(_ outcome: ExecutionOutcome, health: HealthReport? = nil, rollback: InvocationReport? = nil) -> ExecutionReport {
            ExecutionReport(outcome: outcome, action: main, health: health, rollback: rollback, duration: clock.seconds() - started)
        }
        if main.unknown { return finish(.unknown(reason: main.reason ?? "outcome unknown")) }

        var health: HealthReport?
        let failure: String
        if !main.succeeded {
            failure = main.reason ?? "failed"
        } else if let check = action.healthCheck {
            let report = await checkHealth(check, redactor: redactor, onProcessStart: onProcessStart)
            health = report
            if report.passed { return finish(.succeeded, health: report) }
            failure = "health check failed after \(report.attempts) tr\(report.attempts == 1 ? "y" : "ies"): \(report.last.reason ?? "failed")"
        } else {
            return finish(.succeeded)
        }

        guard let rollback = action.rollback else { return finish(.failed(reason: failure), health: health) }
        let undo = await invoke(rollback.invocation, timeout: rollback.timeout, idempotencyKey: idempotencyKey + ":rollback",
                                redactor: redactor, onProcessStart: onProcessStart)
        if undo.succeeded { return finish(.rolledBack(reason: failure), health: health, rollback: undo) }
        return finish(.rollbackFailed(reason: failure, rollbackReason: undo.reason ?? "failed"), health: health, rollback: undo)
    }

    /// Runs a health check: up to `retries + 1` tries, `interval` seconds apart, until one passes.
    public func checkHealth(_ check: RenderedHealthCheck, redactor: Redactor,
                            onProcessStart: @escaping @Sendable (ProcessStart) -> Void = { _ in }) async -> HealthReport {
        let started = clock.seconds()
        var attempts = 0
        var last = InvocationReport(succeeded: false, reason: "not run", attempts: 0)
        while attempts <= check.retries {
            if attempts > 0 {
                do { try await sleeper.sleep(seconds: check.interval) } catch { break }
            }
            attempts += 1
            last = await invoke(check.probe, timeout: check.timeout, idempotencyKey: nil, redactor: redactor, onProcessStart: onProcessStart)
            if last.succeeded { break }
        }
        return HealthReport(passed: last.succeeded, attempts: attempts, duration: clock.seconds() - started, last: last)
    }

    /// Runs one invocation (process or HTTP) and reports, redacted.
    public func invoke(_ invocation: RenderedInvocation, timeout: Double, idempotencyKey: String?, redactor: Redactor,
                       onProcessStart: @escaping @Sendable (ProcessStart) -> Void = { _ in }) async -> InvocationReport {
        switch invocation {
        case let .http(request):
            return await http.execute(request, timeout: timeout, idempotencyKey: idempotencyKey, redactor: redactor)
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

/// Formats seconds for reasons without pulling the whole duration parser in.
enum DurationTextFormat {
    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value))s" : "\(value)s"
    }
}
