import AuroraCore
import AuroraSimulation
import Foundation

/// `aurora demo --write-data DIR`: the demo's metrics and configuration as files, for the quick start.
enum DemoData {
    static func write(to folder: String, context: CommandContext) throws -> ExitStatus {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw SimpleFailure(.cannotCreate, "\(folder): cannot create the folder (\(error.localizedDescription))")
        }
        let scenario = DemoScenario(folder: folder)
        // Like `aurora init`: a configuration someone may have edited is never overwritten silently.
        if FileManager.default.fileExists(atPath: scenario.configurationPath) && !context.arguments.flag("force") {
            throw SimpleFailure(.cannotCreate, "\(scenario.configurationPath): already exists (use --force to overwrite it, or pick a new folder: --write-data \"$(mktemp -d)\")")
        }
        try scenario.prepare(replay: true)
        let start = DemoScenario.historyStart
        let incidentAt = start + DemoScenario.historyMinutes * 60
        let fleet = DemoFleet()
        let history = fleet.series(from: start, to: incidentAt, faults: [])
        let incident = fleet.series(from: incidentAt, to: incidentAt + 30 * 60,
                                    faults: [DemoFleet.Fault(service: "postgres", start: incidentAt + 10 * 60)])
        try write(DemoFleet.longCSV(history), to: folder + "/fleet-history.csv")
        try write(DemoFleet.longCSV(incident), to: folder + "/fleet-incident.csv")
        try write(DemoFleet.longCSV(history + incident), to: folder + "/fleet.csv")
        // The live fault the actions clear, as the demo's chaos step would leave it.
        try scenario.inject("postgres", at: incidentAt + 10 * 60)
        let out = context.console.out
        out.line("wrote \(folder)/fleet.csv: two normal days, then 30 minutes with postgres' connection pool exhausted from minute 10")
        out.line("      (also split as fleet-history.csv and fleet-incident.csv)")
        out.line("      \(folder)/aurora.yaml: the service graph and two actions acting on \(folder)/fleet")
        out.line("try:  cd \(folder) && aurora detect fleet.csv && aurora diagnose")
        return .success
    }

    static func write(_ text: String, to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            throw SimpleFailure(.cannotCreate, "\(path): cannot write")
        }
    }
}
