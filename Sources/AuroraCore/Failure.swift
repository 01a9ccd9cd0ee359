/// What kind of failure an engine error is, so the command line can map it to an exit status.
///
/// The engine never knows exit codes; it only says which of these a failure is. `AuroraCLI` maps each
/// kind to a sysexits-style status (documented in README.md and the man page).
package enum FailureKind: String, Sendable, CaseIterable {
    /// The caller asked for something malformed (bad option value, unknown name).
    case usage
    /// Input data is malformed: a metric file, a corrupted database.
    case dataError
    /// An input file or directory does not exist or cannot be read.
    case noInput
    /// An external service (HTTP endpoint, executor program) is unavailable.
    case unavailable
    /// A broken invariant inside aurora: a bug.
    case software
    /// An output file or the database cannot be created.
    case cannotCreate
    /// Reading or writing failed (disk full, I/O error).
    case ioError
    /// A temporary condition: try again (database busy past its timeout).
    case temporary
    /// Refused by policy: kill switch, governance, freeze window, rate limit.
    case refused
    /// The configuration is invalid.
    case configuration
}

/// An error that knows what kind of failure it is and how to describe itself to an operator.
package protocol AuroraFailure: Error, CustomStringConvertible {
    /// The kind of failure, which decides the exit status.
    var kind: FailureKind { get }
}

/// A generic failure for places where a dedicated error enum would add nothing.
package struct SimpleFailure: AuroraFailure, Equatable {
    package let kind: FailureKind
    package let message: String

    package init(_ kind: FailureKind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    package var description: String { message }
}

/// A usage error: the caller asked for something malformed (an unknown action, a missing parameter).
package struct UsageError: AuroraFailure, Equatable {
    package let message: String
    package init(_ message: String) { self.message = message }
    package var kind: FailureKind { .usage }
    package var description: String { message }
}
