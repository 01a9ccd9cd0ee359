/// A place in an input file, printed the way compilers do: `file:line:column`.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    /// 1-based line number.
    public var line: Int
    /// 1-based column, counted in bytes (what editors show for ASCII, and stable for any input).
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// An error in an input file, located precisely.
public struct LocatedError: AuroraFailure, Equatable {
    public let location: SourceLocation
    public let message: String
    public let kind: FailureKind

    public init(_ location: SourceLocation, _ message: String, kind: FailureKind = .dataError) {
        self.location = location
        self.message = message
        self.kind = kind
    }

    public var description: String { "\(location): \(message)" }
}
