import AuroraCore
import AuroraOperations
import AuroraStore
import Foundation

/// `aurora series list|show|drop`: what `aurora ingest` stored.
enum SeriesCommand {
    static let matchOption = OptionSpec.value("match", short: "m", "SELECTOR", repeatable: true,
                                              "only series matching a Prometheus selector")

    static let spec = CommandSpec(
        "series",
        summary: "list, show or drop stored series",
        subcommands: [
            CommandSpec("list", summary: "list stored series with their point counts and time spans",
                        options: [matchOption],
                        examples: ["aurora series list", "aurora series list -m '{service=\"checkout\"}' --json"],
                        handler: list),
            CommandSpec("show", summary: "print the points of one series (CSV timestamp,value)",
                        options: [
                            .value("since", "TIME", kind: .time, "only points at or after this time"),
                            .value("until", "TIME", kind: .time, "only points before this time"),
                        ],
                        arguments: [ArgumentSpec("SERIES", "the series, in Prometheus notation: name{label=\"value\"}")],
                        examples: ["aurora series show 'latency_ms{service=\"checkout\"}' --since -1h"],
                        handler: show),
            CommandSpec("drop", summary: "delete stored series and their points",
                        discussion: """
                        Deletes the series --match selects, their points and detector state, in one transaction \
                        with its audit entry; aurora watch's absent-data baseline forgets them in the same \
                        transaction, so a retired series is not reported absent when it leaves the source.
                        """,
                        options: [matchOption, .flag("yes", short: "y", "do not ask for confirmation")],
                        examples: ["aurora series drop -m '{service=\"legacy\"}' --yes"],
                        handler: drop),
        ])

    static func selected(_ context: CommandContext, in db: Database) throws -> [StoredSeries] {
        var selectors: [SeriesSelector] = []
        for text in context.arguments.all("match") {
            do { selectors.append(try SeriesSelector(parsing: text, origin: "--match")) } catch { throw UsageError(error.description) }
        }
        return try SeriesStore.list(in: db) { key in selectors.isEmpty || selectors.contains { $0.matches(key) } }
    }

    static func list(_ context: CommandContext) async throws -> ExitStatus {
        let store = try context.existingStore()
        let series = try selected(context, in: store.database)
        if context.json {
            context.console.out.line(JSONValue.array(series.map { item in
                .object([("series", .string(item.key.description)), ("service", .optional(item.service)),
                         ("points", .integer(Int64(item.points))),
                         ("from", item.first.map { .string(IngestCommand.timeText($0)) } ?? .null),
                         ("to", item.last.map { .string(IngestCommand.timeText($0)) } ?? .null),
                         ("step_seconds", item.stepMilliseconds.map { .number(Double($0) / 1000) } ?? .null)])
            }).rendered())
            return .success
        }
        var table = TableRenderer(["SERIES", "POINTS", "FROM", "TO", "STEP"])
        for item in series {
            table.add([item.key.description, String(item.points), item.first.map(IngestCommand.timeText) ?? "-",
                       item.last.map(IngestCommand.timeText) ?? "-",
                       item.stepMilliseconds.map { DurationText.format(Double($0) / 1000) } ?? "-"])
        }
        context.console.out.write(table.render(style: context.style))
        return .success
    }

    static func show(_ context: CommandContext) async throws -> ExitStatus {
        let store = try context.existingStore()
        let text = context.arguments.positionals[0]
        let key: SeriesKey
        do { key = try SeriesSelector.seriesKey(fromNotation: text, origin: "SERIES") } catch { throw UsageError(error.description) }
        guard let stored = try SeriesStore.list(in: store.database, where: { $0 == key }).first else {
            throw SimpleFailure(.noInput, "no stored series \(key) (see `aurora series list`)")
        }
        let now = context.clock.now()
        let points = try SeriesStore.points(seriesID: stored.id, from: try context.arguments.time("since", now: now)?.unixMilliseconds,
                                            to: try context.arguments.time("until", now: now)?.unixMilliseconds, in: store.database)
        let out = context.console.out
        if context.json {
            out.line(JSONValue.object([
                ("series", .string(key.description)),
                ("points", .array(zip(points.timestamps, points.values).map { .array([.string(IngestCommand.timeText($0)), .number($1)]) })),
            ]).rendered())
            return .success
        }
        out.line("timestamp,value")
        for (timestamp, value) in zip(points.timestamps, points.values) {
            out.line("\(IngestCommand.timeText(timestamp)),\(value)")
        }
        return .success
    }

    static func drop(_ context: CommandContext) async throws -> ExitStatus {
        if context.arguments.all("match").isEmpty {
            throw UsageError("give --match SELECTOR to choose what to drop (use --match '{__name__=~\".+\"}' for everything)")
        }
        let store = try context.existingStore()
        let series = try selected(context, in: store.database)
        guard !series.isEmpty else {
            context.note("no stored series match")
            return .success
        }
        if !context.arguments.flag("yes") {
            guard context.console.input.isTerminal else {
                throw UsageError("dropping \(series.count) series needs confirmation: add --yes")
            }
            let answer = context.console.input.prompt("drop \(series.count) series and their points? [y/N] ", completions: ["y", "n"])
            guard answer?.lowercased().hasPrefix("y") == true else {
                context.note("nothing dropped")
                return .success
            }
        }
        let dropped = try StoredData.dropSeries(ids: series.map(\.id), selector: context.arguments.all("match").joined(separator: " "),
                                                store: store, actor: context.actor, at: context.clock.now())
        if context.json {
            context.console.out.line(JSONValue.object([("dropped", .integer(Int64(dropped)))]).rendered())
        } else {
            context.console.out.line("dropped \(dropped) series")
        }
        return .success
    }
}
