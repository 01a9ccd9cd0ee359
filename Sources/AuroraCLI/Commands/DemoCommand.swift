import AuroraCore
import AuroraSimulation
import AuroraStore
import Foundation

/// `aurora demo`: the whole loop on a simulated fleet, twice — once learning, once immunised.
enum DemoCommand {
    static let spec = CommandSpec(
        "demo",
        summary: "run the whole self-healing loop on a simulated fleet (no setup needed)",
        discussion: """
        Simulates a fleet (frontend → checkout → payments → postgres, one point a minute), stores two days of \
        normal metrics, then injects a connection-pool exhaustion at postgres. Minute by minute, as cron would \
        run `aurora heal --stored`, aurora detects it, diagnoses it with evidence and confidence, runs the \
        remediation by policy through a real shell executor that restarts the simulated pool (the fleet's \
        state really changes), verifies health, resolves the incident and learns the pattern. A second \
        incident of the same kind is then handled through the learned pattern, and the SLO report ends the \
        run. It uses a temporary database of its own and ignores $AURORA_DB: the demo never touches a \
        database it did not create. --db PATH keeps it in PATH instead, which must be a new file or one an \
        earlier demo created. --write-data DIR writes the demo's metric files and configuration instead, \
        for trying the commands by hand; it refuses to overwrite an existing aurora.yaml without --force.
        """,
        options: [
            .flag("step", "pause between steps (press Enter to go on)"),
            .value("write-data", "DIR", kind: .directory, "write the demo's metrics and aurora.yaml to DIR and exit"),
            .flag("keep", "keep the temporary folder (database, configuration, fleet state) and print where it is"),
            .flag("force", short: "f", "with --write-data: overwrite an existing aurora.yaml in DIR"),
        ],
        examples: ["aurora demo", "aurora demo --step", "aurora demo --write-data \"$(mktemp -d)\""],
        handler: run)

    static func run(_ context: CommandContext) async throws -> ExitStatus {
        if let target = context.arguments.value("write-data") {
            return try DemoData.write(to: context.path(target), context: context)
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("aurora-demo-\(getpid())-\(UUID().uuidString.prefix(6))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { if !context.arguments.flag("keep") { try? FileManager.default.removeItem(atPath: folder) } }
        let database = try demoDatabase(context, folder: folder)
        let scenario = DemoScenario(folder: folder)
        try scenario.prepare()
        var arguments = ParsedArguments()
        arguments.values["db"] = [database]
        arguments.values["config"] = [scenario.configurationPath]
        if context.quiet { arguments.flags.insert("quiet") }
        let clock = SimulatedClock(Date(timeIntervalSince1970: Double(DemoScenario.historyStart)))
        let demo = CommandContext(arguments: arguments, console: context.console, environment: context.environment,
                                  workingDirectory: folder, clock: clock, services: context.services)
        try DemoOwnership.mark(demo.store())
        var runner = DemoRunner(scenario: scenario, context: demo, clock: clock, pause: context.arguments.flag("step") && context.console.input.isTerminal)
        let passed = try await runner.run()
        if context.arguments.flag("keep") { context.console.out.line("kept \(folder)") }
        return passed ? .success : .software
    }

    /// Where the demo keeps its state: its own folder, or `--db` given on the command line when that
    /// file is new or was created by an earlier demo. `$AURORA_DB` is ignored on purpose: the quick start
    /// exports it, and the demo's simulated incidents, remediations and append-only audit rows (dated in
    /// the simulation's time) must never land in a real database.
    static func demoDatabase(_ context: CommandContext, folder: String) throws -> String {
        guard let given = context.arguments.value("db"), let origin = context.arguments.origins["db"],
              origin.hasPrefix("-") else { return folder + "/aurora.db" }
        let path = context.path(given)
        guard FileManager.default.fileExists(atPath: path) else { return path }
        guard DemoOwnership.isOwnedByDemo(path) else {
            throw SimpleFailure(.cannotCreate, "\(path): this database was not created by the demo, which never writes into "
                                + "a real one; pass a new file to --db, or leave --db out for a temporary database")
        }
        // An earlier demo's file: the simulation starts from an empty database, so it starts afresh
        // (its own write-ahead log and shared-memory files go with it: they belong to no one else).
        for file in [path, path + "-wal", path + "-shm"] where FileManager.default.fileExists(atPath: file) {
            do { try FileManager.default.removeItem(atPath: file) } catch {
                throw SimpleFailure(.cannotCreate, "\(file): cannot start the demo afresh (\(error.localizedDescription))")
            }
        }
        return path
    }
}
