import AuroraCore

/// aurora's exit statuses, sysexits-style. Documented in README.md and `man aurora`.
package enum ExitStatus: Int32, Sendable, CaseIterable {
    case success = 0
    /// Findings, only where a command documents it (`--exit-code`).
    case findings = 1
    case usage = 64
    case dataError = 65
    case noInput = 66
    case unavailable = 69
    case software = 70
    case cannotCreate = 73
    case ioError = 74
    case temporary = 75
    case refused = 77
    case configuration = 78
    /// 128 + the signal that interrupted a running remediation (its executor was stopped, the remediation
    /// recorded `interrupted`), as a shell reports a command killed by that signal.
    case hangup = 129
    case interrupted = 130
    case terminated = 143

    /// The status for an engine failure kind.
    package init(_ kind: FailureKind) {
        switch kind {
        case .usage: self = .usage
        case .dataError: self = .dataError
        case .noInput: self = .noInput
        case .unavailable: self = .unavailable
        case .software: self = .software
        case .cannotCreate: self = .cannotCreate
        case .ioError: self = .ioError
        case .temporary: self = .temporary
        case .refused: self = .refused
        case .configuration: self = .configuration
        }
    }

    /// The status for a signal that interrupted a remediation (128 + its number).
    package init(interruptedBy signal: Int32) {
        self = ExitStatus(rawValue: 128 + signal) ?? .interrupted
    }

    /// One line for the documentation.
    package var meaning: String {
        switch self {
        case .success: return "success"
        case .findings: return "findings: anomalies found, or an SLO missed (only with --exit-code)"
        case .usage: return "usage error: unknown command or option, bad option value"
        case .dataError: return "bad input data: a malformed metric file, a corrupted database"
        case .noInput: return "an input file or the database does not exist"
        case .unavailable: return "an external service (HTTP endpoint, executor) is unavailable"
        case .software: return "internal error (a bug: please report it)"
        case .cannotCreate: return "cannot create an output file or the database (permissions, read-only file)"
        case .ioError: return "I/O error, such as a full disk"
        case .temporary: return "temporary failure, such as the database busy past its timeout: try again"
        case .refused: return "refused by policy: kill switch, freeze window, rate limit, governance, risk tier"
        case .configuration: return "configuration error"
        case .hangup: return "SIGHUP during a remediation: its executor was stopped and it is recorded interrupted"
        case .interrupted: return "SIGINT (Ctrl-C) during a remediation: its executor was stopped and it is recorded interrupted"
        case .terminated: return "SIGTERM during a remediation: its executor was stopped and it is recorded interrupted"
        }
    }
}
