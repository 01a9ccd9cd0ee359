import Foundation

/// An approval as stored: who approved what, and when.
package struct Approval: Sendable, Equatable {
    /// `RenderedAction.hash` at the time it was shown to the approver.
    package var renderedHash: String
    /// Who requested the remediation.
    package var requester: String
    /// Who approved it.
    package var approver: String
    /// When it was approved.
    package var approvedAt: Date

    /// Creates an approval.
    package init(renderedHash: String, requester: String, approver: String, approvedAt: Date) {
        self.renderedHash = renderedHash
        self.requester = requester
        self.approver = approver
        self.approvedAt = approvedAt
    }
}

/// Rules an approval must satisfy before the approved item may run.
package struct ApprovalPolicy: Sendable, Equatable {
    /// Seconds an approval stays valid (default 1 h).
    package var approvalTTL: Double
    /// Seconds a queued item may wait for a decision before it expires (default 24 h).
    package var pendingTTL: Double
    /// Seconds an approval may be timestamped after `now` (clock skew between hosts; default 60 s).
    package var futureTolerance: Double
    /// Whether the requester may approve their own request (default false).
    package var allowSelfApproval: Bool

    /// Creates a policy.
    package init(approvalTTL: Double = 3600, pendingTTL: Double = 86_400, futureTolerance: Double = 60, allowSelfApproval: Bool = false) {
        self.approvalTTL = approvalTTL
        self.pendingTTL = pendingTTL
        self.futureTolerance = futureTolerance
        self.allowSelfApproval = allowSelfApproval
    }

    /// Whether a queued item has waited too long (`now ≥ queuedAt + pendingTTL`).
    package func pendingExpired(queuedAt: Date, now: Date) -> Bool {
        now >= queuedAt.addingTimeInterval(pendingTTL)
    }

    /// Whether `approver` may approve a request by `requester` (checked when the approval is given).
    package func mayApprove(requester: String, approver: String) -> (allowed: Bool, rule: String, reason: String) {
        if !allowSelfApproval && requester == approver {
            return (false, "approval.self-approval", "\(approver) requested this remediation and may not approve it (approval.self-approval)")
        }
        return (true, "approval.ok", "approved by \(approver)")
    }

    /// Validates an approval just before execution against the action as rendered now.
    ///
    /// Refuses when the rendered action changed since approval (parameters or executor configuration),
    /// when the approval expired, when it is dated in the future beyond tolerance, or when it is a self-approval.
    package func validate(_ approval: Approval, currentHash: String, now: Date) -> (valid: Bool, expired: Bool, rule: String, reason: String) {
        if approval.renderedHash != currentHash {
            return (false, false, "approval.hash-mismatch",
                    "the action changed after it was approved (approved \(approval.renderedHash.prefix(12)), now \(currentHash.prefix(12))); approve it again")
        }
        let check = mayApprove(requester: approval.requester, approver: approval.approver)
        if !check.allowed { return (false, false, check.rule, check.reason) }
        if approval.approvedAt > now.addingTimeInterval(futureTolerance) {
            return (false, false, "approval.from-the-future",
                    "the approval is dated \(RemediationPolicy.iso(approval.approvedAt)), after now (\(RemediationPolicy.iso(now))) beyond the \(Int(futureTolerance))s tolerance")
        }
        if now >= approval.approvedAt.addingTimeInterval(approvalTTL) {
            return (false, true, "approval.expired",
                    "the approval by \(approval.approver) expired at \(RemediationPolicy.iso(approval.approvedAt.addingTimeInterval(approvalTTL)))")
        }
        return (true, false, "approval.valid", "approved by \(approval.approver) at \(RemediationPolicy.iso(approval.approvedAt))")
    }
}
