import AuroraCore
import AuroraOperations
import AuroraLearning
import AuroraStore
import Foundation

/// `aurora patterns list|show|export|import|forget`: what aurora has learned from resolved incidents.
enum PatternsCommand {
    static let idArgument = ArgumentSpec("ID", kind: .integer, completes: .patterns, "the learned pattern's number")

    static let spec = CommandSpec(
        "patterns",
        summary: "list, export, import or forget learned patterns",
        discussion: """
        Every resolved incident teaches aurora: its symptoms (which services' which metrics moved which way), \
        root cause, the remediation that fixed it and the time to recover. A resolved incident whose symptoms \
        are similar enough (learning.match-threshold, Jaccard similarity, same root service) reinforces an \
        existing pattern; otherwise it creates one. A pattern's confidence is the mean of a Beta posterior: \
        verified fixes raise it, failed or rolled-back remediations and false-positive marks lower it. From \
        learning.immunity-confidence on, a matching incident skips root-cause analysis and goes straight to \
        the pattern's playbook. Export writes the built-in pattern library's YAML format.
        """,
        subcommands: [
            CommandSpec("list", summary: "list learned patterns with their confidence and record",
                        examples: ["aurora patterns list", "aurora patterns list --json"], handler: list),
            CommandSpec("show", summary: "show one learned pattern", arguments: [idArgument], handler: show),
            CommandSpec("export", summary: "write learned patterns as YAML (stdout, or FILE)",
                        arguments: [ArgumentSpec("FILE", kind: .file, optional: true, "where to write (default: stdout)")],
                        examples: ["aurora patterns export team-patterns.yaml"], handler: export),
            CommandSpec("import", summary: "add learned patterns from a YAML file written by export",
                        arguments: [ArgumentSpec("FILE", kind: .file, "the file to read, or - for stdin")],
                        examples: ["aurora patterns import team-patterns.yaml"], handler: importPatterns),
            CommandSpec("forget", summary: "delete a learned pattern",
                        options: [.value("actor", "NAME", env: "AURORA_ACTOR", "who is acting (default: $USER)")],
                        arguments: [idArgument], handler: forget),
        ])

    static func json(_ pattern: LearnedPattern) -> JSONValue {
        .object([
            ("id", .integer(pattern.id)), ("name", .string(pattern.name)),
            ("symptoms", .array(pattern.symptoms.map { .string($0.text) })),
            ("root_service", .optional(pattern.rootService)), ("cause", .string(pattern.cause)),
            ("remediation", .optional(pattern.remediation)), ("risk", .string(pattern.risk.rawValue)),
            ("occurrences", .integer(Int64(pattern.occurrences))), ("successes", .integer(Int64(pattern.successes))),
            ("failures", .integer(Int64(pattern.failures))), ("false_positives", .integer(Int64(pattern.falsePositives))),
            ("confidence", .number((pattern.confidence * 1000).rounded() / 1000)),
            ("mean_recovery_seconds", .number(pattern.meanRecoverySeconds.rounded())),
            ("first_seen", .time(pattern.firstSeen)), ("last_seen", .time(pattern.lastSeen)),
        ])
    }

    static func list(_ context: CommandContext) async throws -> ExitStatus {
        let patterns = try LearningBridge.patterns(in: try context.existingStore().database)
        if context.json {
            context.console.out.line(JSONValue.array(patterns.map(json)).rendered())
            return .success
        }
        if patterns.isEmpty {
            context.note("nothing learned yet: patterns come from resolved incidents")
            return .success
        }
        var table = TableRenderer(["ID", "NAME", "SEEN", "FIXED", "FAILED", "CONFIDENCE", "MTTR", "PLAYBOOK"])
        for pattern in patterns {
            table.add([String(pattern.id), pattern.name, String(pattern.occurrences), String(pattern.successes),
                       String(pattern.failures + pattern.falsePositives), String(format: "%.0f%%", pattern.confidence * 100),
                       DurationText.format(pattern.meanRecoverySeconds.rounded()), pattern.remediation ?? "-"])
        }
        context.console.out.write(table.render(style: context.style))
        return .success
    }

    static func pattern(_ context: CommandContext, in db: Database) throws -> LearnedPattern {
        guard let id = Int64(context.arguments.positionals[0]), let row = try LearnedPatternStore.get(id, in: db) else {
            throw SimpleFailure(.noInput, "no learned pattern \(context.arguments.positionals[0]) (see `aurora patterns list`)")
        }
        return LearningBridge.pattern(row)
    }

    static func show(_ context: CommandContext) async throws -> ExitStatus {
        let item = try pattern(context, in: try context.existingStore().database)
        if context.json {
            context.console.out.line(json(item).rendered())
            return .success
        }
        let out = context.console.out
        out.line(context.style.bold("pattern \(item.id): \(item.name)"))
        out.line("root service  \(item.rootService ?? "-")")
        out.line("cause         \(item.cause)")
        out.line("playbook      \(item.remediation ?? "-") (\(item.risk.rawValue) risk)")
        out.line("record        seen \(item.occurrences), fixed \(item.successes), failed \(item.failures), false positives \(item.falsePositives)")
        out.line("confidence    \(String(format: "%.0f%%", item.confidence * 100))")
        out.line("mean recovery \(DurationText.format(item.meanRecoverySeconds.rounded()))")
        out.line("symptoms")
        for symptom in item.symptoms { out.line("  - \(symptom.text)") }
        return .success
    }

    static func export(_ context: CommandContext) async throws -> ExitStatus {
        let patterns = try LearningBridge.patterns(in: try context.existingStore().database)
        let text = PatternFile.export(patterns)
        if let target = context.arguments.positionals.first, target != "-" {
            let path = context.path(target)
            guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
                throw SimpleFailure(.cannotCreate, "\(path): cannot write the patterns file")
            }
            context.note("exported \(patterns.count) pattern(s) to \(path)")
        } else {
            context.console.out.write(text)
        }
        return .success
    }

    static func importPatterns(_ context: CommandContext) async throws -> ExitStatus {
        let source = context.arguments.positionals[0]
        let text: String
        if source == "-" {
            text = String(decoding: try context.console.input.readAll(), as: UTF8.self)
        } else {
            let path = context.path(source)
            guard let data = FileManager.default.contents(atPath: path) else { throw SimpleFailure(.noInput, "\(path): cannot read") }
            text = String(decoding: data, as: UTF8.self)
        }
        let patterns = try PatternFile.parse(text, source: source)
        let ids = try StoredData.importPatterns(patterns, source: source, store: try context.store(), actor: context.actor,
                                                at: context.clock.now())
        context.console.out.line(context.json ? JSONValue.object([("imported", .array(ids.map { .integer($0) }))]).rendered()
                                 : "imported " + Plural.count(ids.count, "pattern"))
        return .success
    }

    static func forget(_ context: CommandContext) async throws -> ExitStatus {
        let store = try context.existingStore()
        let item = try pattern(context, in: store.database)
        try StoredData.forgetPattern(id: item.id, name: item.name, store: store, actor: context.actor, at: context.clock.now())
        context.console.out.line(context.json ? #"{"forgotten":\#(item.id)}"# : "forgot pattern \(item.id)")
        return .success
    }
}
