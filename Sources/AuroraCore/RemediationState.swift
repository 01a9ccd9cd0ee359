/// The states of a remediation row, with the legal transitions as data so the store can make every
/// update conditional (`UPDATE … SET state = :to WHERE id = :id AND state IN (:legal predecessors)`).
package enum RemediationState: String, Sendable, CaseIterable, Codable {
    /// Waiting for an approval.
    case queued
    /// Approved (by a human, or by policy for automatic execution), not yet claimed.
    case approved
    /// Claimed by a process that is executing it (pid, pgid and heartbeat recorded).
    case running
    /// Executed, health check passed.
    case succeeded
    /// Executed and failed (including a failed rollback, a timeout, or an unknown outcome).
    case failed
    /// Failed, then rolled back successfully.
    case rolledBack = "rolled_back"
    /// Rejected by a human.
    case rejected
    /// Not approved (or not claimed) within its time to live, or its approval expired.
    case expired
    /// Refused by policy (kill switch, freeze, rate limit, governance, critical tier), at request, at
    /// claim, or by the gate just before the process would have started.
    case refused
    /// The executing process died; a human must look. Never re-executed automatically.
    case interrupted

    /// Legal transitions: from → allowed targets.
    package static let transitions: [RemediationState: Set<RemediationState>] = [
        .queued: [.approved, .rejected, .expired, .refused],
        .approved: [.running, .expired, .refused],
        // running → refused: the gate just before spawning refused (kill switch set after the claim); nothing ran.
        .running: [.succeeded, .failed, .rolledBack, .interrupted, .refused],
        .succeeded: [], .failed: [], .rolledBack: [], .rejected: [], .expired: [], .refused: [], .interrupted: [],
    ]

    /// Whether `self → next` is legal.
    package func canTransition(to next: RemediationState) -> Bool {
        Self.transitions[self]?.contains(next) ?? false
    }

    /// The states from which `target` may be reached (for conditional updates).
    package static func predecessors(of target: RemediationState) -> [RemediationState] {
        allCases.filter { $0.canTransition(to: target) }
    }

    /// Whether the state is final.
    package var isTerminal: Bool { Self.transitions[self]?.isEmpty ?? true }

    /// Whether the item still waits for a human decision.
    package var isPending: Bool { self == .queued }
}
