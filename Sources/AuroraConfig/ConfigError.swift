import AuroraCore

/// One problem in a configuration file, located.
public struct ConfigIssue: Sendable, Equatable, CustomStringConvertible {
    public let location: SourceLocation
    public let message: String

    public var description: String { "\(location): \(message)" }
}

/// The configuration is invalid: every problem found, in file order.
public struct ConfigError: AuroraFailure, Equatable {
    public let issues: [ConfigIssue]

    public var kind: FailureKind { .configuration }
    public var description: String { issues.map(\.description).joined(separator: "\n") }
}
