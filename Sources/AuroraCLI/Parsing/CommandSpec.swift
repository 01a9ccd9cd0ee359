import AuroraCore
/// What an option's value is, for validation at parse time and for shell completion.
public enum ValueKind: Sendable, Equatable {
    case string
    case integer
    case number
    /// `300s`, `5m`, `1h30m`.
    case duration
    /// A time: RFC 3339, `YYYY-MM-DD[ HH:MM[:SS]]`, Unix seconds, or relative (`-1h`, `now`).
    case time
    /// A file path (`-` allowed where the command reads stdin).
    case file
    case directory
    /// One of a fixed set of words.
    case choice([String])
}

/// One option of a command (or a global option).
public struct OptionSpec: Sendable {
    /// Long name without dashes: `service` for `--service`.
    public let long: String
    public let short: Character?
    /// Placeholder in help (`NAME`); nil for a flag.
    public let valueName: String?
    public let kind: ValueKind
    /// May be given several times (values accumulate; a comma-separated value also splits).
    public let repeatable: Bool
    /// Shown in help; applied when the option is absent.
    public let defaultValue: String?
    /// An environment variable that supplies the value when the option is absent.
    public let environment: String?
    public let summary: String
    /// Values the completion scripts ask aurora for (incident numbers, action names), if any.
    public var completes: DynamicCompletion? = nil

    /// The same option, completed with values from the configuration or the database.
    public func completing(_ kind: DynamicCompletion) -> OptionSpec {
        var copy = self
        copy.completes = kind
        return copy
    }

    /// A flag: present or absent.
    public static func flag(_ long: String, short: Character? = nil, env: String? = nil, _ summary: String) -> OptionSpec {
        OptionSpec(long: long, short: short, valueName: nil, kind: .string, repeatable: false,
                   defaultValue: nil, environment: env, summary: summary)
    }

    /// An option that takes a value.
    public static func value(_ long: String, short: Character? = nil, _ valueName: String, kind: ValueKind = .string,
                             repeatable: Bool = false, default defaultValue: String? = nil, env: String? = nil,
                             _ summary: String) -> OptionSpec {
        OptionSpec(long: long, short: short, valueName: valueName, kind: kind, repeatable: repeatable,
                   defaultValue: defaultValue, environment: env, summary: summary)
    }

    public var isFlag: Bool { valueName == nil }
}

/// A positional argument.
public struct ArgumentSpec: Sendable {
    public let name: String
    public let summary: String
    public let kind: ValueKind
    public let optional: Bool
    /// Takes every remaining positional.
    public let variadic: Bool
    /// Values the completion scripts ask aurora for (incident numbers, action names), if any.
    public var completes: DynamicCompletion? = nil

    public init(_ name: String, kind: ValueKind = .string, optional: Bool = false, variadic: Bool = false,
                completes: DynamicCompletion? = nil, _ summary: String) {
        self.completes = completes
        self.name = name
        self.kind = kind
        self.optional = optional
        self.variadic = variadic
        self.summary = summary
    }
}

/// The function that runs a command.
public typealias CommandHandler = @Sendable (CommandContext) async throws -> ExitStatus

/// One command or subcommand: the single source for parsing, help, completions and the man page.
public struct CommandSpec: Sendable {
    public let name: String
    public let summary: String
    /// Paragraphs for `aurora help CMD` and the man page.
    public let discussion: String
    public let options: [OptionSpec]
    public let arguments: [ArgumentSpec]
    public let subcommands: [CommandSpec]
    /// Lines such as `aurora detect --json metrics.csv`.
    public let examples: [String]
    /// Nil for a group that only has subcommands.
    public let handler: CommandHandler?

    public init(_ name: String, summary: String, discussion: String = "", options: [OptionSpec] = [],
                arguments: [ArgumentSpec] = [], subcommands: [CommandSpec] = [], examples: [String] = [],
                handler: CommandHandler? = nil) {
        self.name = name
        self.summary = summary
        self.discussion = discussion
        self.options = options
        self.arguments = arguments
        self.subcommands = subcommands
        self.examples = examples
        self.handler = handler
    }

    public func subcommand(_ name: String) -> CommandSpec? { subcommands.first { $0.name == name } }
}
