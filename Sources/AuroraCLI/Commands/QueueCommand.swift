import AuroraCore
import AuroraOperations
import AuroraRemediation
import AuroraStore
import Foundation

/// `aurora queue`: remediations waiting for approval, and those running.
enum QueueCommand {
    static let spec = CommandSpec(
        "queue",
        summary: "list remediations waiting for approval (and running ones)",
        discussion: """
        Lists queued remediations with what each would run (secrets redacted), and the ones running now. \
        Like every remediation command it first marks `interrupted` any running remediation whose aurora \
        process died, and `expired` any queued one past governance.pending-ttl (on a read-only database \
        it lists the items as last recorded, with a note).
        """,
        options: [.flag("all", "every remediation, whatever its state")],
        examples: ["aurora queue", "aurora queue --json"],
        handler: run)

    static func run(_ context: CommandContext) async throws -> ExitStatus {
        let flow = try RemediationFlow(context: try context.operations())
        try flow.recover()
        if flow.recoverySkipped { context.note(RemediationFlow.recoverySkippedNote) }
        let states = context.arguments.flag("all") ? [] : [RemediationState.queued, .approved, .running]
        let rows = try flow.store.database.read { try RemediationStore.list(states: states, in: $0) }
        if context.json {
            context.console.out.line(JSONValue.array(rows.map(RemediationOutput.json)).rendered())
            return .success
        }
        if rows.isEmpty {
            context.console.out.line("no remediation is waiting for approval")
            return .success
        }
        var table = TableRenderer(["ID", "STATE", "ACTION", "SERVICE", "TIER", "REQUESTED BY", "SINCE", "RULE"])
        for row in rows {
            table.add([String(row.id), row.state.rawValue, row.action, row.service, row.tier.rawValue, row.requester, TimeText.iso(row.createdAt), row.rule])
        }
        context.console.out.write(table.render(style: context.style))
        return .success
    }
}
