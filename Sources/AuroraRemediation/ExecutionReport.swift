import AuroraCore

/// The outcome of executing a remediation (action, health check, rollback).
public enum ExecutionOutcome: Sendable, Equatable, CustomStringConvertible {
    /// It ran and its health check (if any) passed.
    case succeeded
    /// It failed and there was no rollback.
    case failed(reason: String)
    /// It failed (or its health check did), and the rollback succeeded.
    case rolledBack(reason: String)
    /// It failed and so did the rollback: a human must look.
    case rollbackFailed(reason: String, rollbackReason: String)
    /// Nobody knows whether it took effect (a timeout after a non-idempotent request was sent):
    /// not retried, not rolled back, left for a human.
    case unknown(reason: String)
    /// Nothing was started: the gate checked just before spawning refused (e.g. a kill switch set
    /// after the item was claimed), or the action is critical.
    case notStarted(reason: String)

    /// The final state of the remediation row.
    public var state: RemediationState {
        switch self {
        case .succeeded: .succeeded
        case .rolledBack: .rolledBack
        case .failed, .rollbackFailed, .unknown: .failed
        case .notStarted: .refused
        }
    }

    /// A short name for the audit: `succeeded`, `failed`, `rolled-back`, `rollback-failed`, `unknown`.
    public var name: String {
        switch self {
        case .succeeded: "succeeded"
        case .failed: "failed"
        case .rolledBack: "rolled-back"
        case .rollbackFailed: "rollback-failed"
        case .unknown: "unknown"
        case .notStarted: "not-started"
        }
    }

    /// The reason, empty on success.
    public var reason: String {
        switch self {
        case .succeeded: ""
        case let .failed(reason), let .rolledBack(reason), let .unknown(reason), let .notStarted(reason): reason
        case let .rollbackFailed(reason, rollbackReason): "\(reason); rollback failed: \(rollbackReason)"
        }
    }

    /// `name: reason`.
    public var description: String { reason.isEmpty ? name : "\(name): \(reason)" }
}

/// What one invocation (action, probe or rollback) did. All text is already redacted.
public struct InvocationReport: Sendable, Equatable {
    /// Whether it succeeded.
    public var succeeded: Bool
    /// Whether its effect is unknown (see `ExecutionOutcome.unknown`).
    public var unknown: Bool
    /// Why it failed, redacted; nil on success.
    public var reason: String?
    /// Attempts made (HTTP retries; 1 for a process).
    public var attempts: Int
    /// Seconds it took in all (monotonic, retries and back-off included).
    public var duration: Double
    /// For processes: how it ended (`exit 0`, `signal 9`).
    public var termination: String?
    /// For processes: whether the timeout stopped it.
    public var timedOut: Bool
    /// For processes: pid and process group.
    public var processStart: ProcessStart?
    /// For HTTP: statuses (or transport errors) of every attempt, in order.
    public var attemptLog: [String]
    /// For HTTP: the final status.
    public var httpStatus: Int?
    /// stdout tail, or the HTTP response body, redacted.
    public var output: String
    /// stderr tail, redacted.
    public var errorOutput: String
    /// Whether the output was cut.
    public var outputTruncated: Bool

    /// Creates a report.
    public init(succeeded: Bool, unknown: Bool = false, reason: String? = nil, attempts: Int = 1, duration: Double = 0,
                termination: String? = nil, timedOut: Bool = false, processStart: ProcessStart? = nil, attemptLog: [String] = [],
                httpStatus: Int? = nil, output: String = "", errorOutput: String = "", outputTruncated: Bool = false) {
        self.succeeded = succeeded
        self.unknown = unknown
        self.reason = reason
        self.attempts = attempts
        self.duration = duration
        self.termination = termination
        self.timedOut = timedOut
        self.processStart = processStart
        self.attemptLog = attemptLog
        self.httpStatus = httpStatus
        self.output = output
        self.errorOutput = errorOutput
        self.outputTruncated = outputTruncated
    }
}

/// What a health check found.
public struct HealthReport: Sendable, Equatable {
    /// Whether it passed.
    public var passed: Bool
    /// Tries made.
    public var attempts: Int
    /// Seconds it took in all.
    public var duration: Double
    /// The last try's report.
    public var last: InvocationReport

    /// Creates a report.
    public init(passed: Bool, attempts: Int, duration: Double, last: InvocationReport) {
        self.passed = passed
        self.attempts = attempts
        self.duration = duration
        self.last = last
    }
}

/// Everything about one execution, for the audit and the learning step. All text is redacted.
public struct ExecutionReport: Sendable, Equatable {
    /// The outcome.
    public var outcome: ExecutionOutcome
    /// The action itself.
    public var action: InvocationReport
    /// The health check, when one ran.
    public var health: HealthReport?
    /// The rollback, when one ran.
    public var rollback: InvocationReport?
    /// Seconds from start to end (monotonic).
    public var duration: Double

    /// Creates a report.
    public init(outcome: ExecutionOutcome, action: InvocationReport, health: HealthReport?, rollback: InvocationReport?, duration: Double) {
        self.outcome = outcome
        self.action = action
        self.health = health
        self.rollback = rollback
        self.duration = duration
    }
}

/// Why an executor could not run at all.
public enum ExecutionError: AuroraFailure, Sendable, Equatable {
    /// An executor that cannot start is an unavailable external program.
    public var kind: FailureKind { .unavailable }

    /// The program could not be started (not found, not executable, bad working directory).
    case launchFailed(program: String, reason: String)

    /// Operator-readable text.
    public var description: String {
        switch self {
        case let .launchFailed(program, reason): "cannot start \(program): \(reason)"
        }
    }
}
