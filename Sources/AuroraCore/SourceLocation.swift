/// A place in an input file, printed the way compilers do: `file:line:column`.
package struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    package var file: String
    /// 1-based line number.
    package var line: Int
    /// 1-based column, counted in bytes (what editors show for ASCII, and stable for any input).
    package var column: Int

    package init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    package var description: String { "\(file):\(line):\(column)" }
}

/// An error in an input file, located precisely.
package struct LocatedError: AuroraFailure, Equatable {
    package let location: SourceLocation
    package let message: String
    package let kind: FailureKind

    package init(_ location: SourceLocation, _ message: String, kind: FailureKind = .dataError) {
        self.location = location
        self.message = message
        self.kind = kind
    }

    package var description: String { "\(location): \(message)" }
}
