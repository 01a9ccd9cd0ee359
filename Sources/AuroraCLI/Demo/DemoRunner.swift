import AuroraCore
import AuroraOperations
import AuroraSimulation
import AuroraStore
import Foundation

/// Plays the demo scenario minute by minute and prints it as an operator would want to read it.
struct DemoRunner {
    let scenario: DemoScenario
    let context: CommandContext
    let clock: SimulatedClock
    let pause: Bool
    /// Simulated minutes since the history started.
    private(set) var minute: Int64 = DemoScenario.historyMinutes

    init(scenario: DemoScenario, context: CommandContext, clock: SimulatedClock, pause: Bool) {
        self.scenario = scenario
        self.context = context
        self.clock = clock
        self.pause = pause
    }

    /// What happened to one injected incident.
    struct Episode {
        var injectedAt: Int64
        var incident: Int64?
        var resolvedAt: Int64?
        var viaLearnedPattern = false
        var decisionMilliseconds: Double?
        var diagnosisMilliseconds: Double?
    }

    var now: Int64 { DemoScenario.historyStart + minute * 60 }

    func say(_ label: String, _ text: String) {
        let time = ISO8601DateFormatter().string(from: clock.now()).dropFirst(11).prefix(8)
        context.console.out.line(context.style.dim("[\(time)]") + " " + context.style.bold(label.padding(toLength: 9, withPad: " ", startingAt: 0)) + text)
        context.console.out.flush()
    }

    func heading(_ text: String) {
        context.console.out.line()
        context.console.out.line(context.style.cyan("── " + text))
        context.console.out.flush()
    }

    func wait() {
        guard pause else { return }
        context.console.out.flush()
        _ = context.console.input.prompt(context.style.dim("   press Enter to continue "), completions: [])
    }

    mutating func run() async throws -> Bool {
        let out = context.console.out
        out.line(context.style.bold("aurora demo") + " — the self-healing loop on a simulated fleet")
        out.line("fleet: frontend → checkout → payments → postgres; latency, errors, CPU, requests, postgres pool saturation; one point a minute")
        try storeHistory()
        wait()
        var episodes: [Episode] = []
        for (index, title) in ["incident 1: a pattern aurora has never seen", "incident 2: the same kind of fault again"].enumerated() {
            heading(title)
            // Let the fleet run quietly for a few minutes between incidents.
            for _ in 0..<(index == 0 ? 10 : 20) { _ = try await tick(reportQuiet: false) }
            clock.set(Date(timeIntervalSince1970: Double(now)))
            var episode = Episode(injectedAt: now)
            try scenario.inject("postgres", at: now)
            say("chaos", "connection-pool exhaustion injected at postgres")
            for _ in 0..<30 {
                let steps = try await tick(reportQuiet: true)
                // An earlier transient that recovered by itself meanwhile is not the episode's incident.
                for step in steps where step.recoveredAfter == nil && (episode.incident == nil || episode.incident == step.incident) {
                    episode.incident = step.incident
                    if step.viaLearnedPattern { episode.viaLearnedPattern = true }
                    if step.action != nil && episode.decisionMilliseconds == nil {
                        episode.decisionMilliseconds = step.decisionMilliseconds
                        episode.diagnosisMilliseconds = step.diagnosisMilliseconds
                    }
                    if step.resolved { episode.resolvedAt = Int64(clock.now().timeIntervalSince1970) }
                }
                if episode.resolvedAt != nil { break }
            }
            if episode.resolvedAt == nil { say("result", context.style.red("not resolved within 30 minutes")) }
            episodes.append(episode)
            wait()
        }
        heading("what changed")
        // Say what the learned pattern sped up (the diagnosis), and do not let a ratio of milliseconds
        // suggest a faster recovery: the minute-by-minute runs and the health check pace that.
        if episodes.count == 2, let first = episodes[0].diagnosisMilliseconds, let second = episodes[1].diagnosisMilliseconds {
            out.line(String(format: "diagnosis took %.1f ms with the full analysis, %.1f ms with the learned pattern (a match on the symptoms instead of an analysis of every series)", first, second))
            let recoveries = episodes.compactMap { episode in episode.resolvedAt.map { $0 - episode.injectedAt } }
            if recoveries.count == 2 {
                out.line(recoveries[0] == recoveries[1]
                    ? "recovery took \(DurationText.format(Double(recoveries[0]))) both times: the once-a-minute runs and the health check pace it, not the diagnosis"
                    : "recovery took \(DurationText.format(Double(recoveries[0]))), then \(DurationText.format(Double(recoveries[1])))")
            }
        }
        for (index, episode) in episodes.enumerated() {
            let recovery = episode.resolvedAt.map { "recovered \(DurationText.format(Double($0 - episode.injectedAt))) after the fault" } ?? "not recovered"
            let path = episode.viaLearnedPattern ? "known pattern, root-cause analysis skipped" : "full root-cause analysis"
            let decision = episode.diagnosisMilliseconds.map { String(format: "; diagnosis took %.1f ms", $0) } ?? ""
            out.line("incident \(index + 1): \(recovery) (\(path)\(decision))")
        }
        heading("service-level objectives")
        out.flush()
        var sloArguments = context.arguments
        sloArguments.commandPath = ["slo"]
        let slo = CommandContext(arguments: sloArguments, console: context.console, environment: context.environment,
                                 workingDirectory: context.workingDirectory, clock: clock, services: context.services)
        _ = try await SLOCommand.run(slo)
        let resolved = episodes.allSatisfy { $0.resolvedAt != nil }
        let learned = episodes.count == 2 && !episodes[0].viaLearnedPattern && episodes[1].viaLearnedPattern
        let faster = episodes.count == 2 && ((episodes[1].resolvedAt ?? .max) - episodes[1].injectedAt) <= ((episodes[0].resolvedAt ?? .max) - episodes[0].injectedAt)
        out.line()
        out.line(resolved && learned && faster ? context.style.green("the loop closed: detected, diagnosed, remediated, verified, learned")
                                              : context.style.red("the demo did not go as expected"))
        return resolved && learned && faster
    }

    /// Two days of normal metrics, stored and scored once so the detectors are warm.
    mutating func storeHistory() throws {
        let series = scenario.metrics(from: DemoScenario.historyStart, to: now)
        clock.set(Date(timeIntervalSince1970: Double(now)))
        let summary = try context.store().database.write { db in
            try SeriesStore.store(series, serviceLabel: "service", at: clock.now(), in: db)
        }
        say("ingest", "two days of normal metrics: \(series.count) series, \(summary.newPoints) points")
    }

    /// One simulated minute: the fleet emits its metrics, aurora stores them and runs one heal pass.
    mutating func tick(reportQuiet: Bool) async throws -> [HealingPass.IncidentStep] {
        let from = now
        minute += 1
        // The minute's sample is scraped at its timestamp and reaches aurora 20 s later: that is the
        // detection latency to beat (30 s).
        clock.set(Date(timeIntervalSince1970: Double(from + 20)))
        let series = scenario.metrics(from: from, to: now)
        try context.store().database.write { db in
            _ = try SeriesStore.store(series, serviceLabel: "service", at: clock.now(), in: db)
        }
        let pass = try await HealingPass(context: try context.operations(), dryRun: false, actor: "aurora").run()
        if pass.newEvents > 0 && reportQuiet { say("detect", Plural.count(pass.newEvents, "new anomaly event")) }
        for step in pass.steps {
            say("incident", "\(step.incident) on \(step.services.joined(separator: ", "))")
            if step.recoveredAfter != nil {
                say("recovered", step.outcome)
                continue
            }
            say("diagnose", step.diagnosis + String(format: " [%.1f ms]", step.diagnosisMilliseconds))
            for evidence in step.evidence { say("", "  - " + evidence) }
            if let cause = HealCommand.causeText(step) { say("", "  " + cause) }
            if let weighing = step.weighing { say("decide", weighing) }
            if let action = step.action, let target = step.target {
                say("remedy", "\(action) on \(target) → \(step.outcome)")
            } else {
                say("remedy", step.outcome)
            }
            if step.resolved { say("verify", "fleet healthy: \(DemoFleet.services.filter(scenario.isFaulty).isEmpty ? "pool restored" : "still faulty")") }
            for note in step.notes { say(note.hasPrefix("incident") ? "resolve" : "learn", note) }
        }
        return pass.steps
    }
}
