import AuroraCore

/// aurora's exit statuses, sysexits-style. Documented in README.md and `man aurora`.
public enum ExitStatus: Int32, Sendable, CaseIterable {
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

    /// The status for an engine failure kind.
    public init(_ kind: FailureKind) {
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

    /// One line for the documentation.
    public var meaning: String {
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
        }
    }
}
