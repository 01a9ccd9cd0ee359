import AuroraCore

/// Per-input state shared by the parsers: the name for messages, options and the counters that are
/// not per series.
struct InputContext {
    let name: String
    let options: IngestOptions
    var lines = 0
    var badLines = 0
    var badLineErrors: [LocatedError] = []
    var nonNumeric = 0
    var progress: (@Sendable (IngestProgress) -> Void)?

    init(name: String, options: IngestOptions) {
        self.name = name
        self.options = options
        progress = options.progress
    }

    /// Counts a skipped line and keeps its message while there is room.
    mutating func recordBadLine(_ error: LocatedError) {
        badLines += 1
        if badLineErrors.count < options.keptBadLineMessages { badLineErrors.append(error) }
    }

    /// The input's size when known (a regular, uncompressed file), for a percentage.
    var inputSize: Int?

    func reportProgress(bytesRead: Int) {
        progress?(IngestProgress(input: name, bytesRead: bytesRead, inputSize: inputSize))
    }

    /// An error at a line and 1-based column of this input.
    func error(line: Int, column: Int, _ message: String) -> LocatedError {
        LocatedError(SourceLocation(file: name, line: line, column: column), message)
    }
}
