import AuroraCore
import AuroraRemediation
import Foundation
import Testing

/// The stale-incident rule: the loop's own request for an incident last seen longer than
/// `remediation.stale-after` ago is refused when it would execute; a fresh one, a person's request and
/// an approved one are decided as before.
@Suite("Stale incidents")
struct StaleIncidentPolicyTests {
    let now = Date(timeIntervalSince1970: 1_780_000_000)
    let fifteenMinutes = PolicyConfiguration(staleAfter: 900)

    func request(_ tier: RiskTier = .low, endedAgo: Double?, dryRun: Bool = false, stage: PolicyRequest.Stage = .request) -> PolicyRequest {
        PolicyRequest(service: "checkout", type: "service-restart", tier: tier, confidence: 0.95, incident: "7", dryRun: dryRun, stage: stage,
                      evidenceEnd: endedAgo.map { now.addingTimeInterval(-$0) })
    }

    func decide(_ request: PolicyRequest, _ configuration: PolicyConfiguration? = nil) -> PolicyDecision {
        RemediationPolicy.decide(request, snapshot: PolicySnapshot(), configuration: configuration ?? fifteenMinutes, now: now)
    }

    @Test func anIncidentLastSeenHoursAgoIsRefusedNamingTheRuleTheTimeAndWhatAFreshOneWouldGet() {
        let decision = decide(request(endedAgo: 4 * 3600))
        #expect(decision.verdict == .refused)
        #expect(!decision.mayExecute)
        #expect(decision.rule == "stale.incident")
        #expect(decision.nextAllowedAt == nil, "only new evidence makes it fresh, not time")
        #expect(decision.reason == "incident 7 last showed an anomaly at 2026-05-28T16:26:40Z, more than 15m before now "
                + "(remediation.stale-after): aurora does not act by itself on a fault it no longer sees; "
                + "fresh, it would execute automatically (tier.low)")
        #expect(decision.checks.map(\.check) == ["kill-switch", "freeze-window", "rate-limit", "tier", "governance", "stale-incident"])
        #expect(decision.checks.last?.passed == false)
    }

    @Test(arguments: [0.0, 60, 900])
    func aFaultSeenWithinTheLimitExecutes(_ ago: Double) {
        let decision = decide(request(endedAgo: ago))
        #expect(decision.verdict == .execute)
        #expect(decision.checks.last?.rule == "stale.fresh")
    }

    /// The reason names the end, not the age: asked again a pass later, the refusal is the same one.
    @Test func theReasonStaysTheSameAsTimePasses() {
        let end = now.addingTimeInterval(-3600)
        let first = RemediationPolicy.decide(PolicyRequest(service: "checkout", type: "service-restart", tier: .medium, incident: "7", evidenceEnd: end),
                                             snapshot: PolicySnapshot(), configuration: fifteenMinutes, now: now)
        let later = RemediationPolicy.decide(PolicyRequest(service: "checkout", type: "service-restart", tier: .medium, incident: "7", evidenceEnd: end),
                                             snapshot: PolicySnapshot(), configuration: fifteenMinutes, now: now.addingTimeInterval(600))
        #expect(first.reason == later.reason && first.rule == later.rule)
        #expect(first.reason.hasSuffix("fresh, it would execute with monitoring (tier.medium)"))
    }

    @Test func aPersonsRequestAndAnApprovedItemAreNeverRefusedAsStale() {
        // An operator's `aurora remediate` carries no evidence time.
        #expect(decide(request(endedAgo: nil)).verdict == .execute)
        #expect(!decide(request(endedAgo: nil)).checks.contains { $0.check == "stale-incident" })
        // An item a person approved runs, however old its incident.
        #expect(decide(request(.high, endedAgo: 86_400, stage: .approvedExecution)).verdict == .execute)
    }

    /// Only automatic execution is held back: a stale incident still goes to the approval queue or to a
    /// human, who sees its times.
    @Test func whatGoesToAPersonAnywayIsNotRefused() {
        let queued = decide(request(.high, endedAgo: 86_400))
        #expect(queued.verdict == .queueForApproval)
        #expect(queued.checks.last?.rule == "stale.deferred")
        #expect(decide(request(.critical, endedAgo: 86_400)).verdict == .escalate)
    }

    @Test func aDryRunSaysItWouldBeRefused() {
        let decision = decide(request(endedAgo: 3600, dryRun: true))
        #expect(decision.verdict == .refused && decision.dryRun)
        #expect(decision.rule == "stale.incident")
    }

    @Test func noLimitDecidesAsBefore() {
        let decision = decide(request(endedAgo: 365 * 86_400), PolicyConfiguration())
        #expect(decision.verdict == .execute)
        #expect(decision.checks.map(\.check) == ["kill-switch", "freeze-window", "rate-limit", "tier", "governance"])
    }

    /// Kill switches and the other rules come first: the refusal names the switch a person set.
    @Test func aKillSwitchStillNamesItself() {
        let snapshot = PolicySnapshot(killSwitches: [KillSwitch(scope: .global, reason: "deploy", setBy: "alice", setAt: now)])
        let decision = RemediationPolicy.decide(request(endedAgo: 3600), snapshot: snapshot, configuration: fifteenMinutes, now: now)
        #expect(decision.rule == "killswitch.global")
    }
}
