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
        run. It uses a temporary database unless --db is given. --write-data DIR writes the demo's metric \
        files and configuration instead, for trying the commands by hand.
        """,
        options: [
            .flag("step", "pause between steps (press Enter to go on)"),
            .value("write-data", "DIR", kind: .directory, "write the demo's metrics and aurora.yaml to DIR and exit"),
            .flag("keep", "keep the temporary folder (database, configuration, fleet state) and print where it is"),
        ],
        examples: ["aurora demo", "aurora demo --step", "aurora demo --write-data /tmp/aurora-demo"],
        handler: run)

    static func run(_ context: CommandContext) async throws -> ExitStatus {
        if let target = context.arguments.value("write-data") {
            return try DemoData.write(to: context.path(target), context: context)
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("aurora-demo-\(getpid())-\(UUID().uuidString.prefix(6))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { if !context.arguments.flag("keep") { try? FileManager.default.removeItem(atPath: folder) } }
        let scenario = DemoScenario(folder: folder)
        try scenario.prepare()
        var arguments = ParsedArguments()
        arguments.values["db"] = [context.arguments.value("db").map(context.path) ?? folder + "/aurora.db"]
        arguments.values["config"] = [scenario.configurationPath]
        if context.quiet { arguments.flags.insert("quiet") }
        let clock = SimulatedClock(Date(timeIntervalSince1970: Double(DemoScenario.historyStart)))
        let demo = CommandContext(arguments: arguments, console: context.console, environment: context.environment,
                                  workingDirectory: folder, clock: clock, services: context.services)
        var runner = DemoRunner(scenario: scenario, context: demo, clock: clock, pause: context.arguments.flag("step") && context.console.input.isTerminal)
        let passed = try await runner.run()
        if context.arguments.flag("keep") { context.console.out.line("kept \(folder)") }
        return passed ? .success : .software
    }
}
