import AuroraCore
import AuroraRemediation
import Foundation

/// A request to run one remediation through the whole flow: what `aurora remediate` sends, and what
/// `aurora heal` sends for each diagnosis.
package struct RemediationRequest: Sendable, Equatable {
    /// The configured action name (`restart-checkout`).
    package var action: String
    /// The target service.
    package var service: String
    /// Request parameters (`--param k=v`); declared defaults fill the rest.
    package var parameters: [String: String]
    /// The incident being remediated, if any.
    package var incident: String?
    /// The diagnosis confidence (0 … 1), nil for an operator's request.
    package var confidence: Double?
    /// Show and record the decision; never execute.
    package var dryRun: Bool
    /// Who asks (`--actor`, `$USER`, or `aurora` for heal).
    package var actor: String
    /// Why (`--reason`).
    package var reason: String
    /// Whether a refusal or escalation that only repeats the incident's latest one is recorded again.
    /// The loop (`aurora heal`, `aurora watch`) asks anew for a stuck incident on every pass and turns
    /// this off: the same action on the same target refused (or escalated) by the same rule for the same
    /// reason adds no row and no audit entry; the standing row's `evaluatedAt` is refreshed. An operator's
    /// `aurora remediate` leaves it on: each of their requests is recorded. (An approval is never queued
    /// twice for one incident, action and target, whoever asks.)
    package var recordsRepeatedRefusal = true
    /// The loop's requests carry the time of the incident's last anomalous point: a fault last seen longer
    /// than `remediation.stale-after` ago is not remediated automatically (`PolicyRequest.evidenceEnd`). nil
    /// for an operator's `aurora remediate`, which is their choice to act.
    package var evidenceEnd: Date?

    /// Creates a request.
    package init(action: String, service: String, parameters: [String: String] = [:], incident: String? = nil, confidence: Double? = nil,
                dryRun: Bool = false, actor: String, reason: String = "") {
        self.action = action
        self.service = service
        self.parameters = parameters
        self.incident = incident
        self.confidence = confidence
        self.dryRun = dryRun
        self.actor = actor
        self.reason = reason
    }
}

/// What the flow did with a request or an approval.
package struct RemediationResult: Sendable {
    /// The end of the road for this invocation.
    package enum Kind: String, Sendable {
        /// It ran; `report` says how it went.
        case executed
        /// It waits in the approval queue.
        case queued
        /// A rule refused it (kill switch, freeze, rate limit, governance, approval rule).
        case refused
        /// A human must act (critical tier, low confidence); recorded, never executed.
        case escalated
        /// Dry run: shown and recorded, nothing executed.
        case dryRun = "dry-run"
        /// Another process or operator decided it first.
        case notPending = "not-pending"
        /// Rejected by the caller.
        case rejected
        /// Its time to live ran out.
        case expired
    }

    /// What happened.
    package var kind: Kind
    /// The remediation's id (nil for a dry run, which stores no row).
    package var id: Int64?
    /// Its state after this invocation.
    package var state: RemediationState?
    /// The rule that decided.
    package var rule: String
    /// Why, naming the rule; never contains a secret.
    package var reason: String
    /// For refusals that end by themselves: when the same request could pass.
    package var nextAllowedAt: Date?
    /// Exactly what runs (or would run), secrets redacted.
    package var plan: [String]
    /// The policy's trail of checks, when a decision was made.
    package var checks: [PolicyCheck]
    /// The execution report, when it ran (already redacted).
    package var report: ExecutionReport?
    /// Set when nothing was recorded because row `id` already stands for this decision (still refused or
    /// escalated for the same reason, or already waiting for approval): when that row was recorded.
    package var unchangedSince: Date?
    /// The signal (SIGINT, SIGTERM, SIGHUP) that interrupted the execution: the executor's process
    /// group was stopped and the remediation recorded `interrupted`. The command line exits 128 + it.
    package var interruptedBy: Int32?
}
