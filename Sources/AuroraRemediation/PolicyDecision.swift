import Foundation

/// What the policy decided.
package enum PolicyVerdict: String, Sendable, Equatable, Codable {
    /// Run it now (claim it: `approved → running`).
    case execute
    /// Put it in the approval queue (`queued`).
    case queueForApproval = "queue-for-approval"
    /// Record it and tell a human; never execute (`refused` state with this verdict, or a dedicated row).
    case escalate
    /// Refused by a rule (`refused`; the CLI exits 77 with `reason`).
    case refused
}

/// One check in the trail of a decision, for the audit.
package struct PolicyCheck: Sendable, Equatable {
    /// The check: `kill-switch`, `freeze-window`, `rate-limit`, `tier`, `governance`, `stale-incident`, `dry-run`.
    package var check: String
    /// Whether it let the request through.
    package var passed: Bool
    /// The rule that decided it (`killswitch.service:checkout`, `rate.cooldown`, `governance.default-allow`).
    package var rule: String
    /// Operator-readable detail.
    package var detail: String
}

/// A decision: the verdict, the rule that decided it, and the trail of every check.
package struct PolicyDecision: Sendable, Equatable {
    /// What to do.
    package var verdict: PolicyVerdict
    /// The mode the tier gate chose (auto, auto with monitoring, approval, escalate).
    package var mode: ExecutionMode
    /// When true nothing may execute (`--dry-run` or governance dry-run): show `RenderedAction.redactedLines`
    /// and record the decision; `verdict` says what would have happened.
    package var dryRun: Bool
    /// The rule that decided the verdict.
    package var rule: String
    /// Operator-readable reason, naming the rule.
    package var reason: String
    /// For refusals that end by themselves (rate limits, freezes, expiring kill switches): the earliest
    /// instant at which the same request could pass that rule. nil when unknown (e.g. concurrency).
    package var nextAllowedAt: Date?
    /// Every check, in order.
    package var checks: [PolicyCheck]

    /// Whether the caller may execute now: verdict `execute` and not a dry run.
    package var mayExecute: Bool { verdict == .execute && !dryRun }
}
