import AuroraConfig
import AuroraCore
import AuroraDetection
import AuroraStore
import Foundation

/// Values the completion scripts cannot know when they are generated: action names from the
/// configuration, incident, remediation and pattern numbers from the database, and the detectors
/// this build has (the same list as `aurora detect --list-detectors`). The scripts ask
/// `aurora __complete KIND [--db PATH] [--config PATH]`, a hidden command that prints one candidate a
/// line (`12<TAB>failover-database on postgres` for shells that show descriptions) and never fails
/// loudly: a missing database or a broken configuration completes nothing.
package enum DynamicCompletion: String, Sendable, CaseIterable {
    case actions, incidents, remediations, patterns, detectors

    /// The hidden command's name; a leading `__` keeps it out of help, man page and suggestions.
    package static let command = "__complete"

    /// True for `aurora __complete …`, also after global options with their values (`--db PATH __complete`).
    static func isRequested(_ argv: [String]) -> Bool {
        var index = 0
        while index < argv.count {
            let word = argv[index]
            if word == command { return true }
            guard word.hasPrefix("-") else { return false }
            // `--db PATH`, `--config PATH` take the next word; `--db=PATH` and flags do not.
            index += (word == "--db" || word == "--config") ? 2 : 1
        }
        return false
    }

    /// Runs `aurora [--db PATH] __complete KIND …` (argv without the program name).
    static func run(_ argv: [String], environment: [String: String], console: Console, workingDirectory: String,
                    clock: any WallClock, services: CLIServices) -> Int32 {
        guard let index = argv.firstIndex(of: command), index + 1 < argv.count,
              let kind = DynamicCompletion(rawValue: argv[index + 1]) else { return ExitStatus.usage.rawValue }
        // Global options (--db, --config) may come before or after `__complete KIND`.
        let options = Array(argv[..<index]) + Array(argv[(index + 2)...])
        let parser = CommandLineParser(root: CommandTable.root, globalOptions: CommandTable.globalOptions)
        let outcome = parser.parse(options, environment: environment)
        guard outcome.error == nil else { return ExitStatus.success.rawValue }
        let context = CommandContext(arguments: outcome.arguments, console: console, environment: environment,
                                     workingDirectory: workingDirectory, clock: clock, services: services)
        for (word, description) in (try? kind.candidates(context)) ?? [] {
            // The tab separates word from description for the shell scripts; each part is escaped
            // on its own (candidates come from stored series and services).
            let line = description.isEmpty ? TerminalText.safe(word) : TerminalText.safe(word) + "\t" + TerminalText.safe(description)
            console.out.write(line + "\n")
        }
        console.flush()
        return ExitStatus.success.rawValue
    }

    /// The candidates with a short description each.
    func candidates(_ context: CommandContext) throws -> [(String, String)] {
        switch self {
        case .actions:
            let actions = try context.configuration().value("remediation.actions")?.pairs ?? []
            return actions.map { name, value in (name, value["type"]?.string ?? "") }.sorted { $0.0 < $1.0 }
        case .incidents:
            return try databaseRows(context) { db in
                try IncidentStore.list(in: db).map { ("\($0.id)", "\($0.status.rawValue) \($0.services.joined(separator: ", "))") }
            }
        case .remediations:
            return try databaseRows(context) { db in
                try RemediationStore.list(states: [.queued], in: db).map { ("\($0.id)", "\($0.action) on \($0.service)") }
            }
        case .patterns:
            return try databaseRows(context) { db in
                try LearnedPatternStore.all(in: db).map { ("\($0.id)", $0.name) }
            }
        case .detectors:
            let defaults = Set(DetectionSettings().ensembleMembers)
            return DetectorRegistry.standard.names.map { ($0, defaults.contains($0) ? "in the default ensemble" : "opt-in") }
        }
    }

    /// Reads from the database only when it exists: completing must never create one.
    private func databaseRows(_ context: CommandContext, _ body: (Database) throws -> [(String, String)]) throws -> [(String, String)] {
        guard FileManager.default.fileExists(atPath: try context.databasePath()) else { return [] }
        return try context.existingStore().database.read(body)
    }
}
