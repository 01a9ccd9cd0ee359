import AuroraCore

/// What sort of problem a `ConfigIssue` is, named for scripts: `aurora config check --json` prints the raw
/// value, which stays the same across releases (messages may be reworded; these may only be added to).
package enum ConfigIssueKind: String, Sendable, CaseIterable {
    /// The text is not YAML (the parser stops there: nothing after it is checked).
    case invalidYAML = "invalid-yaml"
    /// The file is not UTF-8.
    case notUTF8 = "not-utf8"
    /// A key repeated in one mapping (the parser stops there, like invalid YAML).
    case duplicateKey = "duplicate-key"
    /// The document expands past the size limit through aliases.
    case tooLarge = "too-large"
    /// The document is not a mapping with the single key `aurora:`.
    case rootKey = "root-key"
    /// A key the schema does not have at that place.
    case unknownKey = "unknown-key"
    /// A value of the wrong type: a list where a string goes, `soon` for a duration, `maybe` for a boolean.
    case wrongType = "wrong-type"
    /// A number outside its key's range.
    case outOfRange = "out-of-range"
    /// A value of the right type that the key does not accept (a word outside its choices, an empty argv).
    case invalidValue = "invalid-value"
    /// A block that lacks what it needs to do anything (an action without an executor, an http block
    /// without a url).
    case missingKey = "missing-key"
    /// Keys valid on their own that contradict each other (two executors; a retention shorter than the
    /// history diagnosis reads).
    case conflict = "conflict"
    /// A warning: a key accepted where it does nothing.
    case ignoredKey = "ignored-key"
}

/// One problem in a configuration file, located.
package struct ConfigIssue: Sendable, Equatable, CustomStringConvertible {
    package let location: SourceLocation
    package let kind: ConfigIssueKind
    /// The dotted key it is about (`aurora.safety.cooldown-between-same-service`, list entries as
    /// `rules[0]`); nil for a problem of the whole document (invalid YAML, the root key).
    package let key: String?
    package let message: String

    package init(location: SourceLocation, kind: ConfigIssueKind, key: String?, message: String) {
        self.location = location
        self.kind = kind
        self.key = key
        self.message = message
    }

    package var description: String { "\(location): \(message)" }
}

/// The configuration is invalid: every problem found, in file order, and the warnings found with them
/// (so that `aurora config check` can report both in one run).
package struct ConfigError: AuroraFailure, Equatable {
    package let issues: [ConfigIssue]
    /// Keys accepted where they do nothing, found alongside the errors; not part of the description, which
    /// every command prints when the file does not load.
    package let warnings: [ConfigIssue]

    package init(issues: [ConfigIssue], warnings: [ConfigIssue] = []) {
        self.issues = issues
        self.warnings = warnings
    }

    package var kind: FailureKind { .configuration }
    package var description: String { issues.map(\.description).joined(separator: "\n") }
}
