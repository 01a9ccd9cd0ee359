import AuroraCore
/// The command table: the single source for parsing, help, shell completions and the man page.
/// Each command lives in its own file under `Commands/` and contributes its `spec` here.
package enum CommandTable {
    /// `aurora` itself.
    package static let root = CommandSpec(
        "aurora",
        summary: "a self-healing operator for production services",
        discussion: """
        aurora closes the loop Detect → Diagnose → Remediate → Verify → Learn for on-call engineers: it \
        reads metric dumps, finds anomalies, diagnoses their root cause, applies remediations through \
        configured executors under governance, kill switches, freeze windows and rate limits, verifies \
        health, rolls back on failure, and learns from every resolved incident. State lives in a local \
        SQLite database.
        """,
        subcommands: [
            InitCommand.spec,
            ConfigCommand.spec,
            IngestCommand.spec,
            SeriesCommand.spec,
            DetectCommand.spec,
            EvalCommand.spec,
            EvalRCACommand.spec,
            IncidentsCommand.spec,
            DiagnoseCommand.spec,
            ReportCommand.spec,
            PatternsCommand.spec,
            SLOCommand.spec,
            HealCommand.spec,
            WatchCommand.spec,
            DemoCommand.spec,
            DatabaseCommand.spec,
            KillSwitchCommand.spec,
            RemediateCommand.spec,
            QueueCommand.spec,
            ApproveCommand.spec,
            RejectCommand.spec,
            FreezeCommand.spec,
            AuditCommand.spec,
            CompletionsCommand.spec,
            ManPageCommand.spec,
            HelpCommand.spec,
            VersionCommand.spec,
        ]
    )

    /// Options every command accepts.
    package static let globalOptions: [OptionSpec] = [
        .value("db", "PATH", kind: .file, env: "AURORA_DB",
               "SQLite database (default: $XDG_STATE_HOME/aurora/aurora.db)"),
        .value("config", "PATH", kind: .file, env: "AURORA_CONFIG",
               "configuration file (default: ./aurora.yaml, then $XDG_CONFIG_HOME/aurora/aurora.yaml)"),
        .flag("json", "print machine-readable JSON on stdout"),
        .flag("quiet", short: "q", "print no notes or progress on stderr"),
        .flag("no-color", "never colour output (NO_COLOR is honoured too)"),
        .flag("version", "print the version and exit"),
        .flag("help", short: "h", "show help for the command"),
    ]

    /// Every command with a handler, with its full name (`db status`), depth first.
    package static func allCommands() -> [(path: [String], spec: CommandSpec)] {
        var result: [(path: [String], spec: CommandSpec)] = []
        func visit(_ spec: CommandSpec, _ path: [String]) {
            result.append((path, spec))
            for child in spec.subcommands { visit(child, path + [child.name]) }
        }
        for child in root.subcommands { visit(child, [child.name]) }
        return result
    }

    /// The command at a path, or nil.
    package static func command(at path: [String]) -> CommandSpec? {
        var current = root
        for name in path {
            guard let next = current.subcommand(name) else { return nil }
            current = next
        }
        return current
    }
}

/// aurora's version.
package enum AuroraVersion {
    package static let current = "0.1.0"
}
