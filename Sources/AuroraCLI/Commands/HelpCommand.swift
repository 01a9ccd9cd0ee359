import AuroraCore
/// `aurora help [COMMAND…]` and `aurora version`.
enum HelpCommand {
    static let spec = CommandSpec(
        "help",
        summary: "show help for a command",
        arguments: [ArgumentSpec("COMMAND", optional: true, variadic: true, "the command (and subcommand)")],
        examples: ["aurora help", "aurora help db backup"],
        handler: run)

    static func run(_ context: CommandContext) async throws -> ExitStatus {
        let path = context.arguments.positionals
        guard let command = CommandTable.command(at: path) else {
            var message = "no such command: aurora \(path.joined(separator: " "))"
            let parent = CommandTable.command(at: Array(path.dropLast())) ?? CommandTable.root
            if let last = path.last, let near = Suggestions.nearest(last, in: parent.subcommands.map(\.name)) {
                message += " (did you mean '\(near)'?)"
            }
            throw UsageError(message)
        }
        context.console.out.write(HelpRenderer.help(for: command, path: path, style: context.style))
        return .success
    }
}

enum VersionCommand {
    static let spec = CommandSpec(
        "version",
        summary: "print aurora's version",
        handler: { context in
            if context.json {
                context.console.out.line(JSONValue.object([("version", .string(AuroraVersion.current))]).rendered())
            } else {
                context.console.out.line("aurora \(AuroraVersion.current)")
            }
            return .success
        })
}
