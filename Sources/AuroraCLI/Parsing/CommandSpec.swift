import AuroraCore
/// What an option's value is, for validation at parse time and for shell completion.
package enum ValueKind: Sendable, Equatable {
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
package struct OptionSpec: Sendable {
    /// Long name without dashes: `service` for `--service`.
    package let long: String
    package let short: Character?
    /// Placeholder in help (`NAME`); nil for a flag.
    package let valueName: String?
    package let kind: ValueKind
    /// May be given several times (values accumulate; a comma-separated value also splits).
    package let repeatable: Bool
    /// Shown in help; applied when the option is absent.
    package let defaultValue: String?
    /// An environment variable that supplies the value when the option is absent.
    package let environment: String?
    package let summary: String
    /// Values the completion scripts ask aurora for (incident numbers, action names), if any.
    package var completes: DynamicCompletion? = nil

    /// The same option, completed with values from the configuration or the database.
    package func completing(_ kind: DynamicCompletion) -> OptionSpec {
        var copy = self
        copy.completes = kind
        return copy
    }

    /// A flag: present or absent.
    package static func flag(_ long: String, short: Character? = nil, env: String? = nil, _ summary: String) -> OptionSpec {
        OptionSpec(long: long, short: short, valueName: nil, kind: .string, repeatable: false,
                   defaultValue: nil, environment: env, summary: summary)
    }

    /// An option that takes a value.
    package static func value(_ long: String, short: Character? = nil, _ valueName: String, kind: ValueKind = .string,
                             repeatable: Bool = false, default defaultValue: String? = nil, env: String? = nil,
                             _ summary: String) -> OptionSpec {
        OptionSpec(long: long, short: short, valueName: valueName, kind: kind, repeatable: repeatable,
                   defaultValue: defaultValue, environment: env, summary: summary)
    }

    package var isFlag: Bool { valueName == nil }
}

/// A positional argument.
package struct ArgumentSpec: Sendable {
    package let name: String
    package let summary: String
    package let kind: ValueKind
    package let optional: Bool
    /// Takes every remaining positional.
    package let variadic: Bool
    /// Values the completion scripts ask aurora for (incident numbers, action names), if any.
    package var completes: DynamicCompletion? = nil

    package init(_ name: String, kind: ValueKind = .string, optional: Bool = false, variadic: Bool = false,
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
package typealias CommandHandler = @Sendable (CommandContext) async throws -> ExitStatus

/// One command or subcommand: the single source for parsing, help, completions and the man page.
package struct CommandSpec: Sendable {
    package let name: String
    package let summary: String
    /// Paragraphs for `aurora help CMD` and the man page.
    package let discussion: String
    package let options: [OptionSpec]
    package let arguments: [ArgumentSpec]
    package let subcommands: [CommandSpec]
    /// Lines such as `aurora detect --json metrics.csv`.
    package let examples: [String]
    /// Nil for a group that only has subcommands.
    package let handler: CommandHandler?

    package init(_ name: String, summary: String, discussion: String = "", options: [OptionSpec] = [],
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

    package func subcommand(_ name: String) -> CommandSpec? { subcommands.first { $0.name == name } }
}
