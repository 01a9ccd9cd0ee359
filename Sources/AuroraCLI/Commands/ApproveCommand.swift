import AuroraCore
import AuroraOperations
import AuroraStore
import Foundation

/// `aurora approve [ID…] [--all] [--yes]`: approve queued remediations, which then execute at once.
enum ApproveCommand {
    static let spec = CommandSpec(
        "approve",
        summary: "approve queued remediations (interactively on a terminal)",
        discussion: """
        With no ID on a terminal, an interactive session lists the pending remediations and, for each, \
        shows its incident (with its last anomaly and how long ago that was: the fault may be over, and an \
        approval is never refused for that, unlike the loop's own remediations under remediation.stale-after), \
        evidence, confidence and exactly what would run (secrets redacted), and takes \
        a (approve), r (reject, asks a reason), s (skip), d (details) or q (quit), or an ID to jump to; \
        with line editing, history and tab-completion of IDs. With IDs or --all plus --yes it is \
        non-interactive, for scripts. Approving re-checks kill switches, freeze windows, rate limits and \
        governance and claims the item in one transaction, then executes it: of several operators \
        approving one item at once exactly one executes it; the others are told it is no longer pending \
        and exit 77.
        """,
        options: [
            .flag("all", "every pending remediation"),
            .flag("yes", short: "y", "do not ask for confirmation (needed when not on a terminal)"),
            RemediateCommand.actorOption,
        ],
        arguments: [ArgumentSpec("ID", kind: .integer, optional: true, variadic: true, completes: .remediations, "remediations to approve (see aurora queue)")],
        examples: ["aurora approve", "aurora approve 12 --yes", "aurora approve --all --yes --actor oncall-bot"],
        handler: run)

    static func run(_ context: CommandContext) async throws -> ExitStatus {
        let approver = try context.requireIdentity(to: "approve")
        let flow = try RemediationFlow(context: try context.operations())
        let input = context.console.input
        let yes = context.arguments.flag("yes")
        var ids: [Int64] = []
        for text in context.arguments.positionals {
            guard let id = Int64(text) else { throw UsageError("ID: `\(text)` is not a remediation id") }
            ids.append(id)
        }
        if ids.isEmpty && !context.arguments.flag("all") {
            guard input.isTerminal else {
                throw UsageError("not on a terminal: give the IDs to approve (or --all) and --yes, e.g. `aurora approve 12 --yes`; see `aurora queue`")
            }
            return try await interactive(flow, context: context)
        }
        if context.arguments.flag("all") {
            try flow.recover()
            ids += try flow.pending().map(\.id)
            if ids.isEmpty {
                context.note("no remediation is waiting for approval")
                return .success
            }
        }
        if !yes && !input.isTerminal {
            throw UsageError("approving needs confirmation: add --yes (not on a terminal)")
        }
        var worst = ExitStatus.success
        var results: [JSONValue] = []
        for id in ids {
            if !yes {
                guard let row = try flow.store.database.read({ try RemediationStore.get(id, in: $0) }) else {
                    throw SimpleFailure(.noInput, "no remediation \(id) (see `aurora queue`)")
                }
                for line in try describe(row, flow: flow, context: context) { context.console.err.line(line) }
                context.console.err.flush()
                let answer = input.prompt("approve remediation \(id)? [y/N] ", completions: ["y", "n"])
                guard answer?.lowercased().hasPrefix("y") == true else {
                    context.note("remediation \(id) left pending")
                    continue
                }
            }
            let result = try await flow.approve(id, approver: approver)
            if context.json { results.append(RemediationOutput.json(result)) } else { RemediationOutput.print(result, context: context) }
            try closeIncident(result, flow: flow, context: context)
            worst = worse(worst, result.exitStatus)
            // Interrupted: the executor was stopped and recorded; approve nothing more.
            if let signal = result.interruptedBy {
                worst = ExitStatus(interruptedBy: signal)
                break
            }
        }
        if context.json { context.console.out.line(JSONValue.array(results).rendered()) }
        return worst
    }

    /// The item as the approver sees it, with its incident's last anomaly and how long ago that was.
    static func describe(_ row: RemediationRecord, flow: RemediationFlow, context: CommandContext) throws -> [String] {
        let incident = try row.incident.flatMap(Int64.init).flatMap { id in try flow.store.database.read { try IncidentStore.get(id, in: $0) } }
        return RemediationOutput.describe(row, lastAnomaly: incident.map { Date(unixMilliseconds: $0.end) }, now: context.clock.now())
    }

    /// The more serious of two statuses: refusals (77) over failures (69) over success.
    static func worse(_ a: ExitStatus, _ b: ExitStatus) -> ExitStatus {
        func rank(_ status: ExitStatus) -> Int { status == .success ? 0 : status == .unavailable ? 1 : 2 }
        return rank(b) > rank(a) ? b : a
    }

    static func interactive(_ flow: RemediationFlow, context: CommandContext) async throws -> ExitStatus {
        let approver = try context.requireIdentity(to: "approve")
        try flow.recover()
        let out = context.console.out
        var pending = try flow.pending()
        if pending.isEmpty {
            out.line("no remediation is waiting for approval")
            return .success
        }
        out.line("\(pending.count) remediation\(pending.count == 1 ? "" : "s") waiting for approval:")
        for row in pending { out.line("  \(row.id)  \(row.action) on \(row.service) (tier \(row.tier.rawValue)), requested by \(row.requester)") }
        var worst = ExitStatus.success
        var index = 0
        while index < pending.count {
            let row = pending[index]
            out.line("")
            for line in try describe(row, flow: flow, context: context) { out.line(line) }
            var next = false
            while !next {
                out.flush()
                let ids = pending.map { String($0.id) }
                guard let answer = context.console.input.prompt("[a]pprove [r]eject [s]kip [d]etails [q]uit, or an ID > ",
                                                                completions: ["a", "r", "s", "d", "q"] + ids) else {
                    return worst
                }
                let word = answer.trimmingCharacters(in: .whitespaces).lowercased()
                switch word {
                case "a", "approve":
                    let result = try await flow.approve(row.id, approver: approver)
                    RemediationOutput.print(result, context: context)
                    try closeIncident(result, flow: flow, context: context)
                    if let signal = result.interruptedBy { return ExitStatus(interruptedBy: signal) }
                    worst = worse(worst, result.exitStatus)
                    next = true
                case "r", "reject":
                    guard let reason = context.console.input.prompt("reason for rejecting \(row.id): ", completions: []),
                          !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
                        out.line("not rejected: a reason is needed")
                        continue
                    }
                    let result = try flow.reject(row.id, actor: approver, reason: reason)
                    RemediationOutput.print(result, context: context)
                    worst = worse(worst, result.exitStatus)
                    next = true
                case "s", "skip", "":
                    next = true
                case "d", "details":
                    if let current = try flow.store.database.read({ try RemediationStore.get(row.id, in: $0) }) {
                        out.line("  rendered hash \(current.renderedHash)")
                        out.line("  parameters: " + current.parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))
                        out.line("  decided by \(current.rule); state \(current.state.rawValue)")
                    }
                case "q", "quit":
                    return worst
                default:
                    if let id = Int64(word), let target = pending.firstIndex(where: { $0.id == id }) {
                        index = target - 1
                        next = true
                    } else {
                        out.line("answer a, r, s, d or q (or one of the IDs: \(ids.joined(separator: ", ")))")
                    }
                }
            }
            index += 1
            if index >= pending.count {
                pending = try flow.pending().filter { item in !pending.contains { $0.id == item.id } }
                index = 0
                if pending.isEmpty { break }
            }
        }
        return worst
    }

    /// An approved remediation that fixed its incident resolves it (by a human's approval).
    static func closeIncident(_ result: RemediationResult, flow: RemediationFlow, context: CommandContext) throws {
        guard let id = result.id, let row = try context.store().database.read({ try RemediationStore.get(id, in: $0) }) else { return }
        for line in try IncidentResolution.complete(result, action: row.action, incident: row.incident, automatically: false,
                                                    context: try context.operations()) {
            context.note(line)
        }
    }
}
