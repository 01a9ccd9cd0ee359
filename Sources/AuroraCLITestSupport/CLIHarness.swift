import AuroraCLI
import AuroraCore
import AuroraTestSupport
import Foundation

/// The result of running the CLI in-process.
public struct CLIResult: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
}

/// Runs `aurora` in-process with captured streams, a fixed environment and an injected clock.
public struct CLIHarness: Sendable {
    public let directory: TemporaryDirectory
    public let clock: FixedClock
    public var environment: [String: String]
    /// What the system's user database says the user is called. Nil by default, so that every test
    /// sees the same actor (`$USER`, "tester") whoever runs the suite.
    public var loginName: String?

    public init(clock: FixedClock = FixedClock()) throws {
        directory = try TemporaryDirectory("aurora-cli")
        self.clock = clock
        environment = [
            "HOME": directory.path, "USER": "tester",
            "XDG_STATE_HOME": directory.path + "/state", "XDG_CONFIG_HOME": directory.path + "/config",
        ]
    }

    /// The database the harness uses by default (`--db` is added unless given).
    public var databasePath: String { directory.file("aurora.db") }

    public func run(_ arguments: [String], stdin: [UInt8] = [], lines: [String] = [], terminal: Bool = false) async -> CLIResult {
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

    public func remove() { directory.remove() }
}
