import AuroraCore
import AuroraOperations
import Foundation

/// `aurora remediate ACTION --service S`: one remediation through the whole flow.
enum RemediateCommand {
    static let actorOption = OptionSpec.value("actor", "NAME", env: "AURORA_ACTOR", "who is acting (default: $USER)")

    static let spec = CommandSpec(
        "remediate",
        summary: "run a configured remediation action through policy, and execute it when allowed",
        discussion: """
        The flow: kill switches → freeze windows → rate limits → risk tier → governance → execute → health \
        check → rollback on failure. Low and medium tiers execute at once, high waits in the approval queue \
        (aurora approve), critical is recorded and escalated, never executed. Refusals exit 77 naming the rule \
        and, when it ends by itself, the next allowed time. A failed, rolled back or unknown outcome exits 69. \
        --dry-run prints exactly what would run, secrets redacted, and never executes. An incident has at \
        most one approval waiting per action and service: asked again with --incident, remediate names the \
        item already queued (and since when) instead of queueing another. Each refusal of an operator's \
        request is recorded.
        """,
        options: [
            .value("service", short: "s", "SERVICE", "the target service (required)"),
            .value("param", short: "p", "KEY=VALUE", repeatable: true, "an action parameter ({param.KEY}, AURORA_PARAM_KEY)"),
            .value("incident", "ID", "the incident this remediates").completing(.incidents),
            .flag("dry-run", "show what would run and the decision; never execute"),
            .value("reason", short: "r", "TEXT", "why (recorded in the audit trail)"),
            actorOption,
        ],
        arguments: [ArgumentSpec("ACTION", completes: .actions, "an action from remediation.actions in the configuration")],
        examples: ["aurora remediate restart-checkout --service checkout --reason 'latency spike'",
                   "aurora remediate scale-up --service cart --param replicas=6 --dry-run"],
        handler: run)

    static func parameters(_ context: CommandContext) throws -> [String: String] {
        var result: [String: String] = [:]
        for item in context.arguments.all("param") {
            guard let equals = item.firstIndex(of: "="), equals != item.startIndex else {
                throw UsageError("--param: `\(item)` is not KEY=VALUE")
            }
            result[String(item[..<equals])] = String(item[item.index(after: equals)...])
        }
        return result
    }

    static func run(_ context: CommandContext) async throws -> ExitStatus {
        guard let service = context.arguments.value("service") else { throw UsageError("remediate needs --service SERVICE") }
        let request = RemediationRequest(
            action: context.arguments.positionals[0], service: service, parameters: try parameters(context),
            incident: context.arguments.value("incident"), dryRun: context.arguments.flag("dry-run"), actor: context.actor,
            reason: context.arguments.value("reason") ?? "")
        let operations = try context.operations()
        let result = try await RemediationFlow(context: operations).run(request)
        RemediationOutput.print(result, context: context)
        for line in try IncidentResolution.complete(result, action: request.action, incident: request.incident, automatically: false,
                                                    context: operations) {
            context.note(line)
        }
        return result.exitStatus
    }
}
