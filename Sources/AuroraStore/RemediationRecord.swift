import AuroraCore
import Foundation

/// One remediation row as stored, with the engine's own state and tier types (stored as their raw
/// values, `running`, `high`); the store does not interpret them beyond the conditional transitions
/// it is asked to make.
package struct RemediationRecord: Sendable, Equatable {
    /// The row id: what operators type (`aurora approve 12`).
    package var id: Int64
    /// The configured action name.
    package var action: String
    /// The action's type (for kill switches and governance).
    package var actionType: String
    /// The target service.
    package var service: String
    /// The request parameters as a JSON object of strings (never secrets).
    package var parameters: [String: String]
    /// The SHA-256 of the rendered action an approval is bound to.
    package var renderedHash: String
    /// What would run, secrets redacted.
    package var description: String
    /// Who asked.
    package var requester: String
    /// Why they asked (`--reason`).
    package var requestReason: String
    /// Who approved (`policy` for automatic execution), nil until approved.
    package var approver: String?
    /// The risk tier.
    package var tier: RiskTier
    /// The diagnosis confidence, nil for a request without a diagnosis.
    package var confidence: Double?
    /// The incident being remediated.
    package var incident: String?
    /// The state.
    package var state: RemediationState
    /// The rule that decided the latest transition.
    package var rule: String
    /// Why, for people.
    package var reason: String
    /// The aurora process that claimed it, and that process's start time (clock ticks since boot).
    package var ownerPID: Int32?
    /// See `ownerPID`.
    package var ownerStartTime: Int64?
    /// The executor child and its process group, once started.
    package var childPID: Int32?
    /// See `childPID`.
    package var childProcessGroup: Int32?
    /// Last sign of life of the owner.
    package var heartbeat: Date?
    /// Attempts made by the executor (HTTP retries).
    package var attempts: Int
    /// The execution outcome name (`succeeded`, `rolled-back`, `rollback-failed`, `unknown`, …).
    package var outcome: String?
    /// The executor's output tail, redacted.
    package var output: String
    /// Milliseconds the execution took.
    package var durationMilliseconds: Int64?
    /// When it was requested.
    package var createdAt: Date
    /// When it last changed.
    package var updatedAt: Date
    /// When it was approved.
    package var approvedAt: Date?
    /// When it was claimed for execution.
    package var startedAt: Date?
    /// When it reached a final state.
    package var finishedAt: Date?
    /// When the same decision was last taken again for it (the loop asking anew for a remediation that
    /// stays refused, escalated or queued for the same reason); nil when it never was.
    package var evaluatedAt: Date?

    /// Creates a record for insertion (id 0 until stored).
    package init(id: Int64 = 0, action: String, actionType: String, service: String, parameters: [String: String], renderedHash: String,
                description: String, requester: String, requestReason: String = "", approver: String? = nil, tier: RiskTier,
                confidence: Double? = nil, incident: String? = nil, state: RemediationState, rule: String = "", reason: String = "",
                ownerPID: Int32? = nil, ownerStartTime: Int64? = nil, childPID: Int32? = nil, childProcessGroup: Int32? = nil,
                heartbeat: Date? = nil, attempts: Int = 0, outcome: String? = nil, output: String = "", durationMilliseconds: Int64? = nil,
                createdAt: Date, updatedAt: Date? = nil, approvedAt: Date? = nil, startedAt: Date? = nil, finishedAt: Date? = nil,
                evaluatedAt: Date? = nil) {
        self.id = id
        self.action = action
        self.actionType = actionType
        self.service = service
        self.parameters = parameters
        self.renderedHash = renderedHash
        self.description = description
        self.requester = requester
        self.requestReason = requestReason
        self.approver = approver
        self.tier = tier
        self.confidence = confidence
        self.incident = incident
        self.state = state
        self.rule = rule
        self.reason = reason
        self.ownerPID = ownerPID
        self.ownerStartTime = ownerStartTime
        self.childPID = childPID
        self.childProcessGroup = childProcessGroup
        self.heartbeat = heartbeat
        self.attempts = attempts
        self.outcome = outcome
        self.output = output
        self.durationMilliseconds = durationMilliseconds
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
        self.approvedAt = approvedAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.evaluatedAt = evaluatedAt
    }

    /// The audit subject: `service:NAME:remediation:ID`, so `aurora audit --service NAME` finds it.
    package var auditSubject: String { "service:\(service):remediation:\(id)" }
}

/// The aurora process that owns a claimed remediation: pid plus start time, so a reused pid is not
/// mistaken for the owner.
package struct ProcessOwner: Sendable, Equatable {
    /// The pid.
    package var pid: Int32
    /// Its start time in clock ticks since boot (`/proc/PID/stat` field 22); 0 when unknown.
    package var startTime: Int64

    /// Creates an owner.
    package init(pid: Int32, startTime: Int64) {
        self.pid = pid
        self.startTime = startTime
    }
}
