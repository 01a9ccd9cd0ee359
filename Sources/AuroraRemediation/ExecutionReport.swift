import AuroraCore

/// The outcome of executing a remediation (action, health check, rollback).
package enum ExecutionOutcome: Sendable, Equatable, CustomStringConvertible {
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
    package var state: RemediationState {
        switch self {
        case .succeeded: .succeeded
        case .rolledBack: .rolledBack
        case .failed, .rollbackFailed, .unknown: .failed
        case .notStarted: .refused
        }
    }

    /// A short name for the audit: `succeeded`, `failed`, `rolled-back`, `rollback-failed`, `unknown`.
    package var name: String {
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
    package var reason: String {
        switch self {
        case .succeeded: ""
        case let .failed(reason), let .rolledBack(reason), let .unknown(reason), let .notStarted(reason): reason
        case let .rollbackFailed(reason, rollbackReason): "\(reason); rollback failed: \(rollbackReason)"
        }
    }

    /// `name: reason`.
    package var description: String { reason.isEmpty ? name : "\(name): \(reason)" }
}

/// What one invocation (action, probe or rollback) did. All text is already redacted.
package struct InvocationReport: Sendable, Equatable {
    /// Whether it succeeded.
    package var succeeded: Bool
    /// Whether its effect is unknown (see `ExecutionOutcome.unknown`).
    package var unknown: Bool
    /// Why it failed, redacted; nil on success.
    package var reason: String?
    /// Attempts made (HTTP retries; 1 for a process).
    package var attempts: Int
    /// Seconds it took in all (monotonic, retries and back-off included).
    package var duration: Double
    /// For processes: how it ended (`exit 0`, `signal 9`).
    package var termination: String?
    /// For processes: whether the timeout stopped it.
    package var timedOut: Bool
    /// For processes: pid and process group.
    package var processStart: ProcessStart?
    /// For HTTP: statuses (or transport errors) of every attempt, in order.
    package var attemptLog: [String]
    /// For HTTP: the final status.
    package var httpStatus: Int?
    /// stdout tail, or the HTTP response body, redacted.
    package var output: String
    /// stderr tail, redacted.
    package var errorOutput: String
    /// Whether the output was cut.
    package var outputTruncated: Bool

    /// Creates a report.
    package init(succeeded: Bool, unknown: Bool = false, reason: String? = nil, attempts: Int = 1, duration: Double = 0,
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
package struct HealthReport: Sendable, Equatable {
    /// Whether it passed.
    package var passed: Bool
    /// Tries made.
    package var attempts: Int
    /// Seconds it took in all.
    package var duration: Double
    /// The last try's report.
    package var last: InvocationReport

    /// Creates a report.
    package init(passed: Bool, attempts: Int, duration: Double, last: InvocationReport) {
        self.passed = passed
        self.attempts = attempts
        self.duration = duration
        self.last = last
    }
}

/// Everything about one execution, for the audit and the learning step. All text is redacted.
package struct ExecutionReport: Sendable, Equatable {
    /// The outcome.
    package var outcome: ExecutionOutcome
    /// The action itself.
    package var action: InvocationReport
    /// The health check, when one ran.
    package var health: HealthReport?
    /// The rollback, when one ran.
    package var rollback: InvocationReport?
    /// Seconds from start to end (monotonic).
    package var duration: Double

    /// Creates a report.
    package init(outcome: ExecutionOutcome, action: InvocationReport, health: HealthReport?, rollback: InvocationReport?, duration: Double) {
        self.outcome = outcome
        self.action = action
        self.health = health
        self.rollback = rollback
        self.duration = duration
    }
}

/// Why an executor could not run at all.
package enum ExecutionError: AuroraFailure, Sendable, Equatable {
    /// An executor that cannot start is an unavailable external program.
    package var kind: FailureKind { .unavailable }

    /// The program could not be started (not found, not executable, bad working directory).
    case launchFailed(program: String, reason: String)

    /// Operator-readable text.
    package var description: String {
        switch self {
        case let .launchFailed(program, reason): "cannot start \(program): \(reason)"
        }
    }
}
