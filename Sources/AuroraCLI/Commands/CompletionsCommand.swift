import AuroraCore
/// `aurora completions bash|zsh|fish` and `aurora manpage`.
enum CompletionsCommand {
    static let spec = CommandSpec(
        "completions",
        summary: "print a shell completion script (bash, zsh or fish)",
        discussion: "The same scripts are in completions/ in the source tree.",
        arguments: [ArgumentSpec("SHELL", kind: .choice(CompletionGenerator.Shell.allCases.map(\.rawValue)), "bash, zsh or fish")],
        examples: [
            "aurora completions bash > /etc/bash_completion.d/aurora",
            "aurora completions zsh > \"${fpath[1]}/_aurora\"",
            "aurora completions fish > ~/.config/fish/completions/aurora.fish",
        ],
        handler: run)

    static func run(_ context: CommandContext) async throws -> ExitStatus {
        guard let shell = CompletionGenerator.Shell(rawValue: context.arguments.positionals[0]) else {
            throw UsageError("unknown shell '\(context.arguments.positionals[0])' (bash, zsh or fish)")
        }
        context.console.out.write(CompletionGenerator.script(for: shell))
        return .success
    }
}

/// `aurora manpage`: the man page in roff, as committed in man/aurora.1.
enum ManPageCommand {
    static let spec = CommandSpec(
        "manpage",
        summary: "print the man page (roff)",
        examples: ["aurora manpage | man -l -"],
        handler: { context in
            context.console.out.write(ManPageGenerator.page())
            return .success
        })
}
