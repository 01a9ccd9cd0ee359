import AuroraCore
import AuroraOperations
import AuroraStore
import Foundation

/// `aurora audit`: the append-only trail.
enum AuditCommand {
    static let spec = CommandSpec(
        "audit",
        summary: "print the append-only audit trail of requests, decisions and outcomes",
        discussion: """
        Every request, decision (with the rule that made it), approval, rejection, execution outcome with \
        durations, kill switch and freeze window change, with who did it (--actor or $USER). No command \
        deletes it; the database refuses updates and deletes of it.
        """,
        options: [
            .value("since", "TIME", kind: .time, "only entries at or after this time (e.g. -24h)"),
            .value("service", short: "s", "SERVICE", "only entries about this service"),
        ],
        examples: ["aurora audit --since -24h", "aurora audit --service checkout --json"],
        handler: run)

    static func run(_ context: CommandContext) async throws -> ExitStatus {
        let store = try context.store()
        // Recovery writes; an audit of a read-only database must still print.
        if let flow = try? RemediationFlow(context: try context.operations()) {
            _ = try? flow.recover()
            if flow.recoverySkipped { context.note(RemediationFlow.recoverySkippedNote) }
        }
        let since = try context.arguments.time("since", now: context.clock.now())
        let entries = try AuditLog.entries(in: store.database, since: since, subject: context.arguments.value("service").map { "service:\($0)" })
        if context.json {
            context.console.out.line(JSONValue.array(entries.map { entry in
                .object([("id", .integer(entry.id)), ("at", .time(entry.at)), ("actor", .string(entry.actor)), ("action", .string(entry.action)),
                         ("subject", .string(entry.subject)), ("detail", .string(entry.detail)), ("outcome", .string(entry.outcome))])
            }).rendered())
            return .success
        }
        var table = TableRenderer(["TIME", "ACTOR", "ACTION", "SUBJECT", "OUTCOME", "DETAIL"])
        for entry in entries {
            let detail = entry.detail.split(separator: "\n").first.map(String.init) ?? ""
            table.add([TimeText.iso(entry.at), entry.actor, entry.action, entry.subject, entry.outcome, detail])
        }
        context.console.out.write(table.render(style: context.style))
        return .success
    }
}
