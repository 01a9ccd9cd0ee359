import AuroraCore

/// Failures of the detection engine, each written for the operator who sees it.
package enum DetectionError: AuroraFailure, Equatable {
    /// A detector name that the registry does not know.
    case unknownDetector(String, known: [String])
    /// A parameter outside its allowed range.
    case invalidParameter(detector: String, parameter: String, reason: String)
    /// Saved state that does not belong to this detector or is truncated.
    case stateMismatch(detector: String, reason: String)
    /// A labels file (NAB `combined_windows.json` format) that cannot be read.
    case invalidLabels(String)
    /// A rule whose regular expression does not compile.
    case invalidPattern(rule: String, pattern: String)

    /// Unknown names and bad parameters are the caller's mistake; state and labels are bad data.
    package var kind: FailureKind {
        switch self {
        case .unknownDetector, .invalidParameter, .invalidPattern: return .usage
        case .stateMismatch, .invalidLabels: return .dataError
        }
    }

    /// The known name a slip of a letter or two away from `name`, if any: named in the message, as a
    /// misspelt option or configuration key is.
    package static func nearest(_ name: String, in known: [String]) -> String? {
        EditDistance.nearest(to: name, in: known).first
    }

    package var description: String {
        switch self {
        case let .unknownDetector(name, known):
            let suggestion = Self.nearest(name, in: known).map { " (did you mean '\($0)'?)" } ?? ""
            return "unknown detector '\(name)'\(suggestion); known detectors: \(known.joined(separator: ", "))"
        case let .invalidParameter(detector, parameter, reason):
            return "detector '\(detector)': parameter '\(parameter)' \(reason)"
        case let .stateMismatch(detector, reason):
            return "saved state for detector '\(detector)' cannot be restored: \(reason); "
                + "delete the stored state to start this series afresh"
        case let .invalidLabels(reason):
            return "labels file: \(reason)"
        case let .invalidPattern(rule, pattern):
            return "rule '\(rule)': the pattern '\(pattern)' is not a valid regular expression"
        }
    }
}
