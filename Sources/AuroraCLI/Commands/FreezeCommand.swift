import AuroraCore
import AuroraOperations
import AuroraRemediation
import AuroraStore
import Foundation

/// `aurora freeze add|list|remove`: change freezes during which no remediation runs.
enum FreezeCommand {
    static let spec = CommandSpec(
        "freeze",
        summary: "add, list or remove change-freeze windows",
        discussion: """
        A freeze window refuses every remediation in its scope (all services, or one with --service) while \
        it is in force: one-off (--from … --until …, half-open) or weekly on a zone's wall clock (--weekly \
        'Fri 16:00 – Mon 08:00 Europe/Berlin', daylight-saving correct). Recurring windows may also be \
        configured under freeze.windows. Changes are audited.
        """,
        subcommands: [
            CommandSpec("add", summary: "add a freeze window",
                        options: [
                            .value("from", "TIME", kind: .time, "one-off start (inclusive)"),
                            .value("until", "TIME", kind: .time, "one-off end (exclusive)"),
                            .value("weekly", "WINDOW", "recurring: 'DAY HH:MM – DAY HH:MM ZONE'"),
                            .value("service", short: "s", "SERVICE", "freeze one service only"),
                            .value("reason", short: "r", "TEXT", "why (shown in refusals)"),
                            RemediateCommand.actorOption,
                        ],
                        examples: ["aurora freeze add --from 2026-12-24T00:00Z --until 2026-12-27T00:00Z --reason holidays",
                                   "aurora freeze add --weekly 'Fri 16:00 – Mon 08:00 Europe/Berlin' --service checkout"],
                        handler: add),
            CommandSpec("list", summary: "list freeze windows (stored and configured)",
                        examples: ["aurora freeze list --json"], handler: list),
            CommandSpec("remove", summary: "remove a stored freeze window",
                        options: [RemediateCommand.actorOption],
                        arguments: [ArgumentSpec("ID", kind: .integer, "the window (see aurora freeze list)")],
                        examples: ["aurora freeze remove 3"], handler: remove),
        ])

    static func add(_ context: CommandContext) async throws -> ExitStatus {
        let now = context.clock.now()
        let arguments = context.arguments
        let from = try arguments.time("from", now: now)
        let until = try arguments.time("until", now: now)
        let weekly = arguments.value("weekly")
        var record = FreezeWindowRecord(service: arguments.value("service"), reason: arguments.value("reason") ?? "",
                                        createdBy: context.actor, createdAt: now)
        if let weekly {
            guard from == nil && until == nil else { throw UsageError("give either --weekly or --from/--until, not both") }
            do {
                record.weekly = try WeeklyWindow(parsing: weekly).description
            } catch {
                throw UsageError("--weekly: \(error.description)")
            }
        } else {
            guard let from, let until else { throw UsageError("give --from TIME --until TIME, or --weekly 'Fri 16:00 – Mon 08:00 Europe/Berlin'") }
            guard from < until else { throw UsageError("--until must be after --from") }
            record.from = from
            record.until = until
        }
        let stored = try FreezeWindowStore.add(record, in: try context.store().database)
        if context.json {
            context.console.out.line(json(stored, now: now).rendered())
        } else {
            context.console.out.line("freeze window \(stored.id) added: \(when(stored))" + (stored.service.map { " for \($0)" } ?? " for every service"))
        }
        return .success
    }

    static func when(_ record: FreezeWindowRecord) -> String {
        record.weekly ?? "\(record.from.map(TimeText.iso) ?? "-") until \(record.until.map(TimeText.iso) ?? "-")"
    }

    static func json(_ record: FreezeWindowRecord, now: Date) -> JSONValue {
        let window = RemediationFlow.engineWindow(record)
        return .object([
            ("id", .string(String(record.id))), ("service", .optional(record.service)), ("weekly", .optional(record.weekly)),
            ("from", .time(record.from)), ("until", .time(record.until)), ("reason", .string(record.reason)),
            ("created_by", .string(record.createdBy)), ("in_force", .bool(window?.occurrence(containing: now) != nil)),
        ])
    }

    static func list(_ context: CommandContext) async throws -> ExitStatus {
        let now = context.clock.now()
        let stored = try FreezeWindowStore.list(in: try context.store().database)
        let configured = try RemediationSettings.load(context.configuration()).freezeWindows
        if context.json {
            var items = stored.map { json($0, now: now) }
            for window in configured {
                if case let .weekly(weekly) = window.schedule {
                    items.append(.object([("id", .string(window.id)), ("service", .optional(window.service)), ("weekly", .string(weekly.description)),
                                          ("from", .null), ("until", .null), ("reason", .string(window.reason)), ("created_by", .string("configuration")),
                                          ("in_force", .bool(window.occurrence(containing: now) != nil))]))
                }
            }
            context.console.out.line(JSONValue.array(items).rendered())
            return .success
        }
        if stored.isEmpty && configured.isEmpty {
            context.console.out.line("no freeze window")
            return .success
        }
        var table = TableRenderer(["ID", "SERVICE", "WHEN", "NOW", "REASON"])
        for record in stored {
            let inForce = RemediationFlow.engineWindow(record)?.occurrence(containing: now) != nil
            table.add([String(record.id), record.service ?? "*", when(record), inForce ? "in force" : "-", record.reason])
        }
        for window in configured {
            guard case let .weekly(weekly) = window.schedule else { continue }
            table.add([window.id, window.service ?? "*", weekly.description, window.occurrence(containing: now) != nil ? "in force" : "-", window.reason])
        }
        context.console.out.write(table.render(style: context.style))
        return .success
    }

    static func remove(_ context: CommandContext) async throws -> ExitStatus {
        guard let id = Int64(context.arguments.positionals[0]) else {
            throw UsageError("ID: `\(context.arguments.positionals[0])` is not a stored freeze window (configured ones are removed from the configuration)")
        }
        let removed = try FreezeWindowStore.remove(id, actor: context.actor, at: context.clock.now(), in: try context.store().database)
        guard removed else { throw SimpleFailure(.noInput, "no freeze window \(id) (see `aurora freeze list`)") }
        context.console.out.line(context.json ? #"{"removed":\#(id)}"# : "freeze window \(id) removed")
        return .success
    }
}
