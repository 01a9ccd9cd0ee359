import AuroraCore
import AuroraOperations
import AuroraRemediation
import AuroraStore
import Foundation

/// How remediation commands print results and rows, for people and as JSON.
enum RemediationOutput {
    /// `2026-11-29T10:00:00Z (local 2026-11-29 11:00 CET)`: refusals name the next allowed time in both.
    static func bothTimes(_ date: Date, environment: [String: String]) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = environment["TZ"].flatMap { TimeZone(identifier: $0.hasPrefix(":") ? String($0.dropFirst()) : $0) } ?? TimeZone.current
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss zzz"
        return "\(TimeText.iso(date)) (local \(formatter.string(from: date)))"
    }

    static func json(_ result: RemediationResult) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("id", result.id.map { .integer($0) } ?? .null), ("result", .string(result.kind.rawValue)),
            ("state", .optional(result.state?.rawValue)), ("rule", .string(result.rule)), ("reason", .string(result.reason)),
            ("next_allowed_at", .time(result.nextAllowedAt)), ("unchanged_since", .time(result.unchangedSince)), ("plan", .array(result.plan.map { .string($0) })),
            ("checks", .array(result.checks.map { check in
                .object([("check", .string(check.check)), ("passed", .bool(check.passed)), ("rule", .string(check.rule)), ("detail", .string(check.detail))])
            })),
        ]
        if let report = result.report {
            var execution: [(String, JSONValue)] = [
                ("outcome", .string(report.outcome.name)), ("reason", .string(report.outcome.reason)), ("duration_seconds", .number(report.duration)),
                ("attempts", .integer(Int64(report.action.attempts))), ("termination", .optional(report.action.termination)),
                ("http_status", report.action.httpStatus.map { .integer(Int64($0)) } ?? .null),
                ("output", .string(report.action.output)), ("error_output", .string(report.action.errorOutput)),
                ("output_truncated", .bool(report.action.outputTruncated)),
            ]
            if let health = report.health {
                execution.append(("health_check", .object([("passed", .bool(health.passed)), ("attempts", .integer(Int64(health.attempts)))])))
            }
            if let rollback = report.rollback {
                execution.append(("rollback", .object([("succeeded", .bool(rollback.succeeded)), ("reason", .optional(rollback.reason))])))
            }
            pairs.append(("execution", .object(execution)))
        }
        pairs.append(("exit_status", .integer(Int64(result.exitStatus.rawValue))))
        return .object(pairs)
    }

    /// Prints a result: data on stdout, refusals on stderr (the caller returns the exit status).
    static func print(_ result: RemediationResult, context: CommandContext) {
        if context.json {
            context.console.out.line(json(result).rendered())
            return
        }
        let out = context.console.out
        let name = result.id.map { "remediation \($0)" } ?? "remediation"
        switch result.kind {
        case .dryRun:
            out.line("dry run: nothing was executed")
            for line in result.plan { out.line("  " + line) }
            out.line("decision: \(result.reason)")
            if let next = result.nextAllowedAt { out.line("next allowed at \(bothTimes(next, environment: context.environment))") }
        case .queued:
            let already = result.unchangedSince.map { " already, since \(TimeText.iso($0))" } ?? ""
            out.line("\(name) is queued for approval\(already) (\(result.rule)): approve with `aurora approve \(result.id ?? 0)`")
            for line in result.plan { out.line("  " + line) }
        case .rejected:
            out.line("\(name) rejected: \(result.reason)")
        case .executed:
            guard let report = result.report else { return }
            out.line("\(name): \(report.outcome.name)" + (report.outcome.reason.isEmpty ? "" : ": \(report.outcome.reason)"))
            for line in result.plan { out.line("  " + line) }
            var facts = ["took \(String(format: "%.2f", report.duration))s"]
            if let termination = report.action.termination { facts.append(termination) }
            if let status = report.action.httpStatus { facts.append("HTTP \(status) after \(report.action.attempts) attempt(s)") }
            if let health = report.health { facts.append("health check \(health.passed ? "passed" : "failed") (\(health.attempts) tr\(health.attempts == 1 ? "y" : "ies"))") }
            if let rollback = report.rollback { facts.append("rollback \(rollback.succeeded ? "succeeded" : "failed")") }
            out.line("  " + facts.joined(separator: ", "))
            if case .notStarted = report.outcome { refusal(result, context: context) }
        case .refused, .escalated, .notPending, .expired:
            refusal(result, context: context)
        }
    }

    static func refusal(_ result: RemediationResult, context: CommandContext) {
        if result.kind == .notPending {
            context.console.err.line("aurora: \(result.reason)")
            return
        }
        let name = result.id.map { "remediation \($0)" } ?? "remediation"
        let verb: String
        switch result.kind {
        case .escalated: verb = "escalated to a human, not executed"
        case .expired: verb = "expired"
        default: verb = "refused"
        }
        context.console.err.line("aurora: \(name) \(verb) by rule \(result.rule): \(result.reason)")
        if let next = result.nextAllowedAt {
            context.console.err.line("aurora: next allowed at \(bothTimes(next, environment: context.environment))")
        }
    }

    static func json(_ record: RemediationRecord) -> JSONValue {
        .object([
            ("id", .integer(record.id)), ("state", .string(record.state.rawValue)), ("action", .string(record.action)), ("type", .string(record.actionType)),
            ("service", .string(record.service)), ("tier", .string(record.tier.rawValue)),
            ("confidence", record.confidence.map { .number($0) } ?? .null), ("incident", .optional(record.incident)),
            ("parameters", .object(record.parameters.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            ("requester", .string(record.requester)), ("request_reason", .string(record.requestReason)), ("approver", .optional(record.approver)),
            ("rule", .string(record.rule)), ("reason", .string(record.reason)), ("rendered_hash", .string(record.renderedHash)),
            ("plan", .array(record.description.split(separator: "\n").map { .string(String($0)) })),
            ("outcome", .optional(record.outcome)), ("attempts", .integer(Int64(record.attempts))),
            ("pid", record.ownerPID.map { .integer(Int64($0)) } ?? .null), ("child_pgid", record.childProcessGroup.map { .integer(Int64($0)) } ?? .null),
            ("created_at", .time(record.createdAt)), ("approved_at", .time(record.approvedAt)), ("started_at", .time(record.startedAt)),
            ("finished_at", .time(record.finishedAt)), ("evaluated_at", .time(record.evaluatedAt)),
            ("duration_seconds", record.durationMilliseconds.map { .number(Double($0) / 1000) } ?? .null),
        ])
    }

    /// The lines shown for one item in `approve` and `queue`: incident, evidence, confidence, what would run.
    /// `lastAnomaly`: when the incident's last anomalous point was, shown with its age at `now` so that the
    /// approver sees whether the fault may be over (the loop's own requests are refused when it is, a
    /// person's approval never is).
    static func describe(_ record: RemediationRecord, lastAnomaly: Date? = nil, now: Date? = nil) -> [String] {
        var incident = record.incident ?? "none"
        if let lastAnomaly, let now {
            let age = max(0, now.timeIntervalSince(lastAnomaly))
            incident += ", last anomaly at \(TimeText.iso(lastAnomaly)) (\(DurationText.format(age >= 60 ? (age / 60).rounded(.down) * 60 : age.rounded(.down))) ago)"
        }
        var lines = ["remediation \(record.id): \(record.action) on \(record.service) (type \(record.actionType), tier \(record.tier.rawValue)), state \(record.state.rawValue)",
                     "  requested by \(record.requester) at \(TimeText.iso(record.createdAt))"
                         + (record.requestReason.isEmpty ? "" : ": \(record.requestReason)"),
                     "  incident: \(incident)",
                     "  evidence: \(record.reason)",
                     // The loop's requests carry what they were decided on: the fault is real × its cause is right.
                     "  confidence: \(record.confidence.map { String(format: "%.2f (that acting is right: the fault is real × its cause)", $0) } ?? "none (operator request, decided by risk tier)")",
                     "  would run:"]
        // Asked again since with the same decision (the loop revisiting a stuck incident): not a new item.
        if let again = record.evaluatedAt { lines.insert("  asked again, same decision, last at \(TimeText.iso(again))", at: 2) }
        lines += record.description.split(separator: "\n").map { "    " + $0 }
        return lines
    }
}
