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
            .value("until", "TIME", kind: .time, "only entries before this time"),
            .value("service", short: "s", "SERVICE", "only entries about this service"),
            .value("actor", "NAME", "only entries by this actor (as the ACTOR column shows it)"),
            .value("action", "ACTION", "only this action (remediation.approve) or family (remediation)"),
            .value("tail", short: "n", "N", kind: .integer, "only the newest N entries (still oldest first)"),
        ],
        examples: ["aurora audit --since -24h", "aurora audit --service checkout --json", "aurora audit --action killswitch -n 20",
                   "aurora audit --actor alice --since -7d --until -1d"],
        handler: run)

    static func run(_ context: CommandContext) async throws -> ExitStatus {
        let store = try context.store()
        // Recovery writes; an audit of a read-only database must still print.
        if let flow = try? RemediationFlow(context: try context.operations()) {
            _ = try? flow.recover()
            if flow.recoverySkipped { context.note(RemediationFlow.recoverySkippedNote) }
        }
        let now = context.clock.now()
        let arguments = context.arguments
        if let tail = arguments.int("tail"), tail < 1 { throw UsageError("--tail: `\(tail)` is not a number of entries (expected 1 or more)") }
        let filter = AuditFilter(since: try arguments.time("since", now: now), until: try arguments.time("until", now: now),
                                 subject: arguments.value("service").map { "service:\($0)" }, actor: arguments.value("actor"),
                                 action: arguments.value("action"), last: arguments.int("tail"))
        let entries = try AuditLog.entries(in: store.database, matching: filter)
        if context.json {
            context.console.out.line(JSONValue.array(entries.map { entry in
                .object([("id", .integer(entry.id)), ("at", .time(entry.at)), ("actor", .string(entry.actor)), ("action", .string(entry.action)),
                         ("subject", .string(entry.subject)), ("detail", .string(entry.detail)), ("outcome", .string(entry.outcome))])
            }).rendered())
            return .success
        }
        if entries.isEmpty {
            context.console.out.line(filter == AuditFilter() ? "the audit trail is empty" : "no audit entry matches")
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
