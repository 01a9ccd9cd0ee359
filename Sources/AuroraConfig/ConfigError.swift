import AuroraCore

/// One problem in a configuration file, located.
package struct ConfigIssue: Sendable, Equatable, CustomStringConvertible {
    package let location: SourceLocation
    package let message: String

    package var description: String { "\(location): \(message)" }
}

/// The configuration is invalid: every problem found, in file order.
package struct ConfigError: AuroraFailure, Equatable {
    package let issues: [ConfigIssue]

    package var kind: FailureKind { .configuration }
    package var description: String { issues.map(\.description).joined(separator: "\n") }
}
