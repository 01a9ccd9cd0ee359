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
                summary: "validate configuration files, reporting every problem (exit 78 on an error)",
                discussion: """
                Reports every problem it can find in one run, like a linter: every unknown key, wrong type, bad \
                duration and value out of range, and every block of an action that could do nothing (a \
                health-check without a probe, a rollback without an executor, an http block without a url), each \
                as file:line:column: message on stderr, in file order. A key accepted where it does nothing \
                (retries or body in a health check's http, body-contains in an executor's) is a warning \
                (file:line:column: warning: …, silenced by --quiet): the file is still valid. Invalid YAML and a \
                repeated key stop the reading where they are, so they come alone.

                Exit 0 when every file is valid, warnings or not; 78 when one has an error, or with --strict a \
                warning. Several files may be given, each problem naming its file; with none, the configuration \
                in effect is checked, and with no configuration file the built-in defaults are valid.

                --json prints one object per file, one per line: {"valid", "file", "issues", "warnings"}. issues \
                are the errors; each problem is {"file", "line", "column", "message", "kind", "key"}, where kind \
                is invalid-yaml, not-utf8, duplicate-key, too-large, root-key, unknown-key, wrong-type, \
                out-of-range, invalid-value, missing-key or conflict for an error, ignored-key for a warning, and \
                key is the dotted key (aurora.safety.cooldown-between-same-service), null for the whole file. \
                Fields may be added, never renamed.

                With --online, also tries each query of sources.prometheus against the server (an instant query) \
                and asks Alertmanager its version, for each valid file ("online" in --json): a refused query is \
                named (exit 78), an unreachable server exits 69.
                """,
                options: [
                    .flag("online", "also try each Prometheus query and reach Alertmanager"),
                    .flag("strict", "warnings fail the check too (exit 78), for CI"),
                ],
                arguments: [ArgumentSpec("FILE", kind: .file, optional: true, variadic: true,
                                         "the files to check (default: the configuration in effect)")],
                examples: ["aurora config check", "aurora config check staging.yaml prod.yaml", "aurora config check --strict --json",
                           "aurora config check --online"],
                handler: check),
            CommandSpec(
                "show",
                summary: "print the effective configuration, secrets redacted",
                examples: ["aurora config show", "aurora --config prod.yaml config show"],
                handler: show),
        ])

    static func check(_ context: CommandContext) async throws -> ExitStatus {
        let given = context.arguments.positionals.map(context.path)
        let files = given.isEmpty ? context.configurationPath.map { [$0] } ?? [] : given
        guard !files.isEmpty else {
            context.console.out.line(context.json ? ConfigCheckReport.defaultsJSON.rendered() : "no configuration file: built-in defaults apply")
            return .success
        }
        // A missing file is a mistake in the command, not a problem of the file: refuse before checking any.
        if let missing = files.first(where: { !FileManager.default.fileExists(atPath: $0) }) {
            throw SimpleFailure(.configuration, "\(missing): no such configuration file")
        }
        let strict = context.arguments.flag("strict")
        var statuses: [ExitStatus] = []
        for file in files {
            var report = try ConfigCheckReport.load(file)
            if let configuration = report.configuration, !report.fails(strict: strict), context.arguments.flag("online") {
                report.online = try await OnlineCheck.run(configuration, context: context)
            }
            report.print(to: context, strict: strict)
            statuses.append(report.status(strict: strict))
        }
        // An invalid file outranks a server that did not answer: fixing the file comes first.
        if statuses.contains(.configuration) { return .configuration }
        return statuses.first { $0 != .success } ?? .success
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
