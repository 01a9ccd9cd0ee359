import AuroraCore
import Foundation

/// One remediation row as stored, with the engine's own state and tier types (stored as their raw
/// values, `running`, `high`); the store does not interpret them beyond the conditional transitions
/// it is asked to make.
public struct RemediationRecord: Sendable, Equatable {
    /// The row id: what operators type (`aurora approve 12`).
    public var id: Int64
    /// The configured action name.
    public var action: String
    /// The action's type (for kill switches and governance).
    public var actionType: String
    /// The target service.
    public var service: String
    /// The request parameters as a JSON object of strings (never secrets).
    public var parameters: [String: String]
    /// The SHA-256 of the rendered action an approval is bound to.
    public var renderedHash: String
    /// What would run, secrets redacted.
    public var description: String
    /// Who asked.
    public var requester: String
    /// Why they asked (`--reason`).
    public var requestReason: String
    /// Who approved (`policy` for automatic execution), nil until approved.
    public var approver: String?
    /// The risk tier.
    public var tier: RiskTier
    /// The diagnosis confidence, nil for a request without a diagnosis.
    public var confidence: Double?
    /// The incident being remediated.
    public var incident: String?
    /// The state.
    public var state: RemediationState
    /// The rule that decided the latest transition.
    public var rule: String
    /// Why, for people.
    public var reason: String
    /// The aurora process that claimed it, and that process's start time (clock ticks since boot).
    public var ownerPID: Int32?
    /// See `ownerPID`.
    public var ownerStartTime: Int64?
    /// The executor child and its process group, once started.
    public var childPID: Int32?
    /// See `childPID`.
    public var childProcessGroup: Int32?
    /// Last sign of life of the owner.
    public var heartbeat: Date?
    /// Attempts made by the executor (HTTP retries).
    public var attempts: Int
    /// The execution outcome name (`succeeded`, `rolled-back`, `rollback-failed`, `unknown`, …).
    public var outcome: String?
    /// The executor's output tail, redacted.
    public var output: String
    /// Milliseconds the execution took.
    public var durationMilliseconds: Int64?
    /// When it was requested.
    public var createdAt: Date
    /// When it last changed.
    public var updatedAt: Date
    /// When it was approved.
    public var approvedAt: Date?
    /// When it was claimed for execution.
    public var startedAt: Date?
    /// When it reached a final state.
    public var finishedAt: Date?

    /// Creates a record for insertion (id 0 until stored).
    public init(id: Int64 = 0, action: String, actionType: String, service: String, parameters: [String: String], renderedHash: String,
                description: String, requester: String, requestReason: String = "", approver: String? = nil, tier: RiskTier,
                confidence: Double? = nil, incident: String? = nil, state: RemediationState, rule: String = "", reason: String = "",
                ownerPID: Int32? = nil, ownerStartTime: Int64? = nil, childPID: Int32? = nil, childProcessGroup: Int32? = nil,
                heartbeat: Date? = nil, attempts: Int = 0, outcome: String? = nil, output: String = "", durationMilliseconds: Int64? = nil,
                createdAt: Date, updatedAt: Date? = nil, approvedAt: Date? = nil, startedAt: Date? = nil, finishedAt: Date? = nil) {
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
    }

    /// The audit subject: `service:NAME:remediation:ID`, so `aurora audit --service NAME` finds it.
    public var auditSubject: String { "service:\(service):remediation:\(id)" }
}

/// The aurora process that owns a claimed remediation: pid plus start time, so a reused pid is not
/// mistaken for the owner.
public struct ProcessOwner: Sendable, Equatable {
    /// The pid.
    public var pid: Int32
    /// Its start time in clock ticks since boot (`/proc/PID/stat` field 22); 0 when unknown.
    public var startTime: Int64

    /// Creates an owner.
    public init(pid: Int32, startTime: Int64) {
        self.pid = pid
        self.startTime = startTime
    }
}
