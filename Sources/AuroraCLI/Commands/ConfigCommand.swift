import AuroraConfig
import AuroraCore
import Foundation

/// `aurora config check|show`.
enum ConfigCommand {
    static let spec = CommandSpec(
        "config",
        summary: "validate or show the configuration",
        subcommands: [
            CommandSpec(
                "check",
                summary: "validate the configuration file (exit 78 when invalid)",
                discussion: """
                Reports every unknown key, wrong type and bad duration, and every block of an action that could do \
                nothing (a health-check without a probe, a rollback without an executor, an http block without a \
                url), as file:line:column: message. A key accepted where it does nothing (retries or body in a \
                health check's http, body-contains in an executor's) is a warning on stderr (file:line:column: \
                warning: …, "warnings" in --json); the file is still valid. With no \
                configuration file, the built-in defaults are valid. With --online, also tries each query of \
                sources.prometheus against the server (an instant query) and asks Alertmanager its version: a \
                refused query is named (exit 78), an unreachable server exits 69.
                """,
                options: [.flag("online", "also try each Prometheus query and reach Alertmanager")],
                arguments: [ArgumentSpec("FILE", kind: .file, optional: true, "the file to check (default: the configuration in effect)")],
                examples: ["aurora config check", "aurora config check staging.yaml", "aurora config check --online"],
                handler: check),
            CommandSpec(
                "show",
                summary: "print the effective configuration, secrets redacted",
                examples: ["aurora config show", "aurora --config prod.yaml config show"],
                handler: show),
        ])

    static func check(_ context: CommandContext) async throws -> ExitStatus {
        let file = context.arguments.positionals.first.map(context.path) ?? context.configurationPath
        guard let file else {
            context.console.out.line(context.json ? #"{"valid":true,"file":null}"# : "no configuration file: built-in defaults apply")
            return .success
        }
        guard FileManager.default.fileExists(atPath: file) else {
            throw SimpleFailure(.configuration, "\(file): no such configuration file")
        }
        let configuration: Configuration
        do {
            configuration = try ConfigLoader.load(path: file)
        } catch let error as ConfigError {
            if context.json {
                context.console.out.line(JSONValue.object([("valid", .bool(false)), ("file", .string(file)),
                                                           ("issues", .array(error.issues.map(json)))]).rendered())
            }
            throw error
        }
        context.noteWarnings(of: configuration)
        if context.arguments.flag("online") {
            return try await OnlineCheck.run(configuration, file: file, context: context)
        }
        if context.json {
            context.console.out.line(JSONValue.object([("valid", .bool(true)), ("file", .string(file)),
                                                       ("warnings", .array(configuration.warnings.map(json)))]).rendered())
        } else {
            context.console.out.line("\(file): ok")
        }
        return .success
    }

    private static func json(_ issue: ConfigIssue) -> JSONValue {
        JSONValue.object([
            ("file", .string(issue.location.file)), ("line", .integer(Int64(issue.location.line))),
            ("column", .integer(Int64(issue.location.column))), ("message", .string(issue.message)),
        ])
    }

    static func show(_ context: CommandContext) async throws -> ExitStatus {
        let configuration = try context.configuration()
        if !context.quiet {
            context.console.err.line("# from \(configuration.source ?? "built-in defaults")")
        }
        context.console.out.write(ConfigWriter.render(configuration))
        return .success
    }
}
