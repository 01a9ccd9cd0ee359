import AuroraCore
import Foundation

/// The command-line program: argv, environment and streams in, an exit status out.
/// `main.swift` calls `main()`; tests call `run` with in-memory streams.
package enum AuroraCommandLine {
    /// Runs aurora for the real process and exits.
    package static func main() async -> Never {
        let console = Console.standard()
        let status = await run(
            Array(ProcessArguments.current().dropFirst()),
            environment: ProcessInfo.processInfo.environment,
            console: console,
            workingDirectory: FileManager.default.currentDirectoryPath)
        console.flush()
        exit(status)
    }

    /// Runs one invocation. Never throws: every failure becomes a message on stderr and a status.
    package static func run(
        _ argv: [String],
        environment: [String: String],
        console: Console,
        workingDirectory: String,
        clock: any WallClock = SystemWallClock(),
        services: CLIServices = CLIServices()
    ) async -> Int32 {
        if DynamicCompletion.isRequested(argv) {
            return DynamicCompletion.run(argv, environment: environment, console: console, workingDirectory: workingDirectory,
                                         clock: clock, services: services)
        }
        let parser = CommandLineParser(root: CommandTable.root, globalOptions: CommandTable.globalOptions)
        let outcome = parser.parse(argv, environment: environment)
        let arguments = outcome.arguments
        let colorAllowed = !arguments.flag("no-color") && environment["NO_COLOR"].map(\.isEmpty) != false
            && environment["TERM"] != "dumb"
        console.colorOut = colorAllowed && console.out.isTerminal
        console.colorErr = colorAllowed && console.err.isTerminal
        let command = outcome.command

        if arguments.flag("help") {
            console.out.write(HelpRenderer.help(for: command, path: arguments.commandPath, style: Style(enabled: console.colorOut)))
            return ExitStatus.success.rawValue
        }
        if let error = outcome.error {
            return report(error, console: console)
        }
        if arguments.flag("version") {
            console.out.line("aurora \(AuroraVersion.current)")
            return ExitStatus.success.rawValue
        }
        guard let handler = command.handler else {
            if arguments.commandPath.isEmpty {
                console.out.write(HelpRenderer.help(for: command, path: [], style: Style(enabled: console.colorOut)))
                return ExitStatus.success.rawValue
            }
            let name = (["aurora"] + arguments.commandPath).joined(separator: " ")
            let choices = command.subcommands.map(\.name).joined(separator: ", ")
            return report(UsageError("'\(name)' needs a subcommand: \(choices); see '\(name) --help'"), console: console)
        }
        if let error = parser.checkPositionals(arguments, for: command) {
            return report(error, console: console)
        }
        let context = CommandContext(
            arguments: arguments, console: console, environment: environment,
            workingDirectory: workingDirectory, clock: clock, services: services)
        do {
            let status = try await handler(context)
            console.flush()
            return status.rawValue
        } catch {
            return report(error, console: console)
        }
    }

    /// Prints an error as `aurora: message` and returns its status.
    static func report(_ error: any Error, console: Console) -> Int32 {
        console.out.flush()
        let status: ExitStatus
        let message: String
        if let failure = error as? any AuroraFailure {
            status = ExitStatus(failure.kind)
            message = failure.description
        } else {
            status = .software
            message = "internal error: \(error)"
        }
        let prefix = Style(enabled: console.colorErr).red("aurora:")
        for line in message.split(separator: "\n", omittingEmptySubsequences: false) {
            console.err.line("\(prefix) \(line)")
        }
        console.err.flush()
        return status.rawValue
    }
}
