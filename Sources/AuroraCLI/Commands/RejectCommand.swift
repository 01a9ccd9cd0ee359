import AuroraCore
import AuroraOperations
import Foundation

/// `aurora reject ID --reason R`.
enum RejectCommand {
    static let spec = CommandSpec(
        "reject",
        summary: "reject a queued remediation",
        discussion: "Only a queued remediation can be rejected; one another operator decided first exits 77 (no longer pending).",
        options: [.value("reason", short: "r", "TEXT", "why (required; recorded in the audit trail)"), RemediateCommand.actorOption],
        arguments: [ArgumentSpec("ID", kind: .integer, completes: .remediations, "the remediation (see aurora queue)")],
        examples: ["aurora reject 12 --reason 'not during the sale'"],
        handler: run)

    static func run(_ context: CommandContext) async throws -> ExitStatus {
        guard let reason = context.arguments.value("reason"), !reason.isEmpty else { throw UsageError("reject needs --reason TEXT") }
        guard let id = Int64(context.arguments.positionals[0]) else { throw UsageError("ID: `\(context.arguments.positionals[0])` is not a remediation id") }
        let result = try RemediationFlow(context: try context.operations()).reject(id, actor: context.requireIdentity(to: "reject"), reason: reason)
        RemediationOutput.print(result, context: context)
        return result.exitStatus
    }
}
