import AuroraCore

/// Why a diagnosis step could not run, in words an operator can act on.
package enum DiagnosisError: AuroraFailure, Equatable {
    /// A pattern file is not valid YAML or misses a field.
    case invalidPattern(file: String, message: String)
    /// A pattern directory could not be read.
    case unreadablePatterns(path: String, message: String)
    /// The incident window is empty or reversed.
    case invalidWindow(start: Int64, end: Int64)
    /// No series has both enough history before the window and points inside it.
    case noData

    /// The failure kind, which decides the exit status.
    package var kind: FailureKind {
        switch self {
        case .invalidPattern: .configuration
        case .unreadablePatterns: .noInput
        case .invalidWindow: .usage
        case .noData: .dataError
        }
    }

    /// The message for the operator.
    package var description: String {
        switch self {
        case let .invalidPattern(file, message): "\(file): invalid pattern: \(message)"
        case let .unreadablePatterns(path, message): "cannot read patterns from \(path): \(message)"
        case let .invalidWindow(start, end): "the incident window \(start)..\(end) is empty; the end must come after the start"
        // Both are needed: a change is measured against the history. Series that stopped reporting are not
        // this case: their absent-data events are diagnosed from the silence itself (SilenceDiagnosis).
        case .noData: "no series has both history before the incident and points inside its window: a change is measured against the history before it"
        }
    }
}
