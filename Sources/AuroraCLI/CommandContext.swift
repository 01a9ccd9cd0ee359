import AuroraConfig
import AuroraCore
import AuroraExecutors
import AuroraOperations
import AuroraRemediation
import AuroraStore
import Foundation

/// Everything a command needs from the outside, injected so tests run commands in-process.
package final class CommandContext {
    package let arguments: ParsedArguments
    package let console: Console
    package let environment: [String: String]
    package let workingDirectory: String
    package let clock: any WallClock
    package let services: CLIServices
    private var openedStore: Store?
    private var loadedConfiguration: Configuration?

    init(arguments: ParsedArguments, console: Console, environment: [String: String], workingDirectory: String,
         clock: any WallClock, services: CLIServices) {
        self.arguments = arguments
        self.console = console
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.clock = clock
        self.services = services
    }

    /// `--json`.
    package var json: Bool { arguments.flag("json") }
    /// `--quiet`: no progress or notes on stderr.
    package var quiet: Bool { arguments.flag("quiet") }
    /// Styling for stdout.
    package var style: Style { Style(enabled: console.colorOut) }
    /// Styling for stderr.
    package var errorStyle: Style { Style(enabled: console.colorErr) }
    /// Who is acting: `--actor` when the command has it, else the system's login name for this user,
    /// else `$USER`, else `$LOGNAME`; nil when none of them names anyone.
    package var identity: String? {
        let candidates = [arguments.value("actor"), services.loginName(), environment["USER"], environment["LOGNAME"]]
        return candidates.lazy.compactMap { $0?.trimmingCharacters(in: .whitespaces) }.first { !$0.isEmpty }
    }

    /// The actor recorded in the audit trail: `identity`, or `unknown` for acts that need no name.
    package var actor: String { identity ?? "unknown" }

    /// The identity, for decisions that must name who took them (approving, rejecting): refused when
    /// nobody can be named, since "approved by unknown" would make the audit trail worthless.
    package func requireIdentity(to act: String) throws -> String {
        guard let identity else {
            throw SimpleFailure(.refused, "refusing to \(act) without knowing who you are: this user id has no login name, "
                                + "and $USER and $LOGNAME are unset; pass --actor NAME")
        }
        return identity
    }

    /// A path from the command line, made absolute against the working directory.
    package func path(_ text: String) -> String { Paths.absolute(text, workingDirectory: workingDirectory) }

    /// The configuration file in effect: `--config`/`$AURORA_CONFIG`, `./aurora.yaml`, the XDG file, or nil.
    package var configurationPath: String? {
        if let explicit = arguments.value("config") { return path(explicit) }
        return Paths.configurationFile(environment: environment, workingDirectory: workingDirectory)
    }

    /// The effective configuration (loaded once).
    package func configuration() throws -> Configuration {
        if let loadedConfiguration { return loadedConfiguration }
        let loaded: Configuration
        if let file = configurationPath {
            if arguments.value("config") != nil && !FileManager.default.fileExists(atPath: file) {
                throw SimpleFailure(.configuration, "\(file): no such configuration file (from \(arguments.origins["config"] ?? "--config"))")
            }
            loaded = try ConfigLoader.load(path: file)
        } else {
            loaded = ConfigLoader.defaults()
        }
        loadedConfiguration = loaded
        noteWarnings(of: loaded)
        return loaded
    }

    /// Tells the operator about keys the configuration accepts but ignores, as `file:line:column: warning: …`
    /// (once per load; `--quiet` silences them like every note).
    package func noteWarnings(of configuration: Configuration) {
        for warning in configuration.warnings { note("\(warning.location): warning: \(warning.message)") }
    }

    /// The database path: `--db`/`$AURORA_DB`, the configuration's `database`, or the XDG default.
    package func databasePath() throws -> String {
        if let explicit = arguments.value("db") { return path(explicit) }
        if let configured = try configuration().databasePath { return path(configured) }
        return Paths.defaultDatabase(environment: environment)
    }

    /// The database, opened (and created and migrated) once per command.
    package func store() throws -> Store {
        if let openedStore { return openedStore }
        let path = try databasePath()
        // A database the user cannot write (file 0444, read-only folder or mount) is opened read-only,
        // so that reading commands still work and writing ones fail at once with the path and a hint
        // instead of SQLite's bare "readonly database" (issue 9, case 12).
        let options = Database.Options(readOnly: !Paths.isWritableDatabase(path), create: true)
        let store = try Store(path: path, options: options)
        if let note = store.database.openingNote { self.note(note) }
        openedStore = store
        return store
    }

    /// The database for commands that only read: it must exist already; never created.
    package func existingStore() throws -> Store {
        if let openedStore { return openedStore }
        let path = try databasePath()
        guard FileManager.default.fileExists(atPath: path) else {
            throw SimpleFailure(.noInput, "\(path): no database here yet (run `aurora init`, or pass --db)")
        }
        return try store()
    }

    /// Writes a note for people on stderr unless `--quiet`.
    package func note(_ text: String) {
        if !quiet { console.err.line(text) }
    }
}

extension Paths {
    /// False when the database file exists and this user may not write it or its folder (SQLite needs
    /// to create `-wal`, `-shm` and journals beside it). A missing file is "writable": it gets created.
    static func isWritableDatabase(_ path: String) -> Bool {
        guard FileManager.default.fileExists(atPath: path) else { return true }
        let folder = (path as NSString).deletingLastPathComponent
        return access(path, W_OK) == 0 && access(folder.isEmpty ? "." : folder, W_OK) == 0
    }
}

/// Side-effect adapters the CLI hands to the operations; tests substitute fakes.
package struct CLIServices: Sendable {
    /// The login name of the user running aurora (`getpwuid(getuid())`), or nil when the system has none.
    package var loginName: @Sendable () -> String?
    /// Starts executor processes.
    package var processRunner: any ProcessRunner
    /// Sends HTTP requests (actions, probes, the AI hypothesis).
    package var httpTransport: any HTTPTransport
    /// Runs `aurora watch` in this process. `aurora` itself leaves it nil and execs the `aurora-watch`
    /// executable instead, which links what `watch` alone needs (URLSession, the HTTP listener) and
    /// sets it: every other command's start-up stays free of them.
    package var watchRunner: (@Sendable (CommandContext) async throws -> ExitStatus)?

    /// The real services by default.
    package init(processRunner: any ProcessRunner = SubprocessRunner(), httpTransport: any HTTPTransport = HelperProcessTransport(),
                loginName: @escaping @Sendable () -> String? = { SystemIdentity.loginName() },
                watchRunner: (@Sendable (CommandContext) async throws -> ExitStatus)? = nil) {
        self.processRunner = processRunner
        self.httpTransport = httpTransport
        self.loginName = loginName
        self.watchRunner = watchRunner
    }
}

extension CommandContext {
    /// The operations context for this command: its database (opened once; with `existingStore` it
    /// must exist already), configuration, clock, environment, actor and services.
    package func operations(existingStore: Bool = false) throws -> OperationsContext {
        OperationsContext(store: existingStore ? try self.existingStore() : try store(), configuration: try configuration(), clock: clock,
                          environment: environment, workingDirectory: workingDirectory, actor: actor,
                          processRunner: services.processRunner, httpTransport: services.httpTransport)
    }
}
