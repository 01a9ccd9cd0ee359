import AuroraCore

/// Ingestion failures that are not tied to a place inside a file (those are `LocatedError`s).
package enum IngestError: AuroraFailure, Equatable {
    /// The path does not exist.
    case missingInput(path: String)
    /// The path exists but cannot be read.
    case unreadable(path: String, reason: String)
    /// A directory holds no file with a known extension.
    case emptyDirectory(path: String)
    /// No input was given at all.
    case noInputs
    /// `readRows` needs exactly one series but the input holds another number.
    case notASingleSeries(name: String, count: Int)
    /// The columns template cannot be used.
    case invalidTemplate(template: String, reason: String)

    /// Path problems are `noInput`/`ioError`, a bad template is `usage`, the rest `dataError`.
    package var kind: FailureKind {
        switch self {
        case .missingInput, .emptyDirectory, .noInputs: return .noInput
        case .unreadable: return .ioError
        case .notASingleSeries: return .dataError
        case .invalidTemplate: return .usage
        }
    }

    /// The message for the operator: what is wrong (what was expected).
    package var description: String {
        switch self {
        case .missingInput(let path): return "\(path): no such file or directory"
        case .unreadable(let path, let reason): return "\(path): cannot read: \(reason)"
        case .emptyDirectory(let path):
            return "\(path): no metric files in this directory (expected files ending in "
                + InputSource.knownExtensions.sorted().map { "." + $0 }.joined(separator: ", ") + ")"
        case .noInputs: return "no input given (expected files, directories or - for standard input)"
        case .notASingleSeries(let name, let count):
            return "\(name): holds \(count) series (expected exactly one series to score row by row)"
        case .invalidTemplate(let template, let reason):
            return "invalid columns template '\(template)': \(reason) (expected text with placeholders such as {service}_{metric})"
        }
    }
}

/// A located error that `--skip-bad-lines` must not skip (a broken header, truncated JSON):
/// the rest of the file cannot be read sensibly after it.
struct FatalInputError: Error {
    let error: LocatedError
}
