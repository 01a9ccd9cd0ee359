import AuroraCore
import AuroraOperations
import AuroraStore
import Foundation

/// `aurora db status|check|backup|prune`.
enum DatabaseCommand {
    static let spec = CommandSpec(
        "db",
        summary: "inspect, check, back up and prune the database",
        subcommands: [
            CommandSpec("status", summary: "show the database path, size, schema version and row counts",
                        examples: ["aurora db status", "aurora db status --json"], handler: status),
            CommandSpec("check", summary: "run SQLite's integrity check (exit 65 on corruption)",
                        discussion: "Runs PRAGMA integrity_check and reports the size of the write-ahead log.",
                        examples: ["aurora db check"], handler: check),
            CommandSpec("backup", summary: "copy the database consistently, even while others write",
                        discussion: """
                        Uses SQLite's online backup API: the copy is one consistent moment of the database, and \
                        other aurora processes may keep writing meanwhile. The target must not exist. The copy is \
                        written to a hidden temporary file in the target's folder and takes the target's name only \
                        when complete, so an interrupted backup never leaves a file at PATH; the partial copies \
                        that killed backups leave (.NAME.partial-PID) are removed by the next backup into that \
                        folder once their process is gone, and it says so on stderr.
                        """,
                        arguments: [ArgumentSpec("PATH", kind: .file, "the new backup file")],
                        examples: ["aurora db backup /var/backups/aurora-$(date +%F).db"], handler: backup),
            CommandSpec("prune", summary: "delete stored points older than a duration",
                        discussion: """
                        For databases no `aurora watch` prunes (watch.retention does it as the watcher runs). \
                        Deletes the points older than DURATION before now, a few thousand per transaction so \
                        that other aurora processes are not kept waiting; series, their detector state, anomaly \
                        events, incidents and the audit log are kept, and so are points a series' detectors have \
                        not scored yet. The freed pages are reused by the points stored next; the file does not \
                        shrink (run sqlite3's VACUUM on a stopped database for that).
                        """,
                        options: [.value("older-than", "DURATION", kind: .duration, "delete points older than this (e.g. 30d)"),
                                  .flag("dry-run", "count the points that would be deleted; delete nothing")],
                        examples: ["aurora db prune --older-than 30d --dry-run", "aurora db prune --older-than 30d"], handler: prune),
        ])

    static func status(_ context: CommandContext) async throws -> ExitStatus {
        let store = try context.existingStore()
        let status = try store.status()
        if context.json {
            context.console.out.line(JSONValue.object([
                ("path", .string(status.path)), ("size_bytes", .integer(status.sizeBytes)),
                ("wal_bytes", .integer(status.walBytes)),
                ("schema_version", .integer(Int64(status.schemaVersion))),
                ("latest_schema_version", .integer(Int64(status.latestSchemaVersion))),
                ("tables", .object(status.rowCounts.map { ($0.0, .integer($0.1)) })),
            ]).rendered())
            return .success
        }
        let out = context.console.out
        out.line("path            \(status.path)")
        out.line("size            \(bytes(status.sizeBytes)) (+ \(bytes(status.walBytes)) write-ahead log)")
        out.line("schema version  \(status.schemaVersion) (latest \(status.latestSchemaVersion))")
        var table = TableRenderer(["TABLE", "ROWS"])
        for (name, count) in status.rowCounts { table.add([name, String(count)]) }
        out.line()
        out.write(table.render(style: context.style))
        return .success
    }

    static func check(_ context: CommandContext) async throws -> ExitStatus {
        let store = try context.existingStore()
        let problems: [String]
        do {
            problems = try store.database.integrityCheck()
        } catch let error as SQLiteError where error.kind == .dataError {
            problems = [error.message]
        }
        let walBytes = Store.fileSize(store.path + "-wal")
        let ok = problems == ["ok"]
        if context.json {
            context.console.out.line(JSONValue.object([
                ("path", .string(store.path)), ("ok", .bool(ok)),
                ("problems", .array(ok ? [] : problems.map { .string($0) })), ("wal_bytes", .integer(walBytes)),
            ]).rendered())
        } else if ok {
            context.console.out.line("\(store.path): ok (write-ahead log \(bytes(walBytes)))")
        }
        if !ok {
            throw SimpleFailure(.dataError, "\(store.path): the database is corrupted:\n" + problems.prefix(20).joined(separator: "\n")
                                + "\nrestore a backup (aurora db backup makes one) or recover with sqlite3's .recover")
        }
        return .success
    }

    static func backup(_ context: CommandContext) async throws -> ExitStatus {
        let store = try context.existingStore()
        let target = context.path(context.arguments.positionals[0])
        var removed: [String] = []
        let seconds = try measure { removed = try store.database.backup(to: target) }
        for name in removed {
            context.console.err.line("aurora: removed \(name), the partial copy of a backup that was interrupted")
        }
        if context.json {
            context.console.out.line(JSONValue.object([("source", .string(store.path)), ("backup", .string(target)),
                                                      ("seconds", .number(seconds))]).rendered())
        } else {
            context.console.out.line("backed up \(store.path) to \(target)")
        }
        return .success
    }

    static func prune(_ context: CommandContext) async throws -> ExitStatus {
        guard let age = context.arguments.duration("older-than") else {
            throw UsageError("'aurora db prune' needs --older-than DURATION (e.g. 30d); see 'aurora db prune --help'")
        }
        let store = try context.existingStore()
        let dryRun = context.arguments.flag("dry-run")
        let report = try PointPruning.prune(olderThan: context.clock.now().addingTimeInterval(-age), dryRun: dryRun, store: store)
        if context.json {
            context.console.out.line(JSONValue.object([
                ("path", .string(store.path)), ("cutoff", .string(TimeText.iso(report.cutoff))), ("dry_run", .bool(dryRun)),
                ("points", .integer(Int64(report.points))), ("series", .integer(Int64(report.series))),
            ]).rendered())
        } else {
            let verb = dryRun ? "would delete" : "deleted"
            context.console.out.line("\(verb) \(report.points) point(s) older than \(TimeText.iso(report.cutoff)) from \(report.series) series")
        }
        return .success
    }

    private static func measure(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    static func bytes(_ count: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(count)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
        return unit == 0 ? "\(count) B" : "\(String(format: "%.1f", value)) \(units[unit])"
    }
}
