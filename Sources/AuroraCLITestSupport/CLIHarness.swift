import AuroraCLI
import AuroraCore
import AuroraTestSupport
import Foundation

/// The result of running the CLI in-process.
package struct CLIResult: Sendable {
    package let status: Int32
    package let stdout: String
    package let stderr: String
}

/// Runs `aurora` in-process with captured streams, a fixed environment and an injected clock.
package struct CLIHarness: Sendable {
    package let directory: TemporaryDirectory
    package let clock: FixedClock
    package var environment: [String: String]
    /// What the system's user database says the user is called. Nil by default, so that every test
    /// sees the same actor (`$USER`, "tester") whoever runs the suite.
    package var loginName: String?

    package init(clock: FixedClock = FixedClock()) throws {
        directory = try TemporaryDirectory("aurora-cli")
        self.clock = clock
        environment = [
            "HOME": directory.path, "USER": "tester",
            "XDG_STATE_HOME": directory.path + "/state", "XDG_CONFIG_HOME": directory.path + "/config",
        ]
    }

    /// The database the harness uses by default (`--db` is added unless given).
    package var databasePath: String { directory.file("aurora.db") }

    package func run(_ arguments: [String], stdin: [UInt8] = [], lines: [String] = [], terminal: Bool = false) async -> CLIResult {
        let console = Console.capturing(stdin: stdin, lines: lines, terminal: terminal)
        var argv = arguments
        if !arguments.contains(where: { $0 == "--db" || $0.hasPrefix("--db=") }) && environment["AURORA_DB"] == nil {
            argv = ["--db", databasePath] + argv
        }
        let login = loginName
        let status = await AuroraCommandLine.run(argv, environment: environment, console: console,
                                                 workingDirectory: directory.path, clock: clock,
                                                 services: CLIServices(loginName: { login }))
        return CLIResult(status: status, stdout: console.out.text, stderr: console.err.text)
    }

    package func remove() { directory.remove() }
}
