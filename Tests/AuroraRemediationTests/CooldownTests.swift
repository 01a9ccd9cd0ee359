import AuroraRemediation
import Foundation
import Testing

/// Issue 18 item 9: a cooldown of 0 s never refuses.
@Suite struct CooldownTests {
    let now = Date(timeIntervalSince1970: 1_780_000_000)

    func decide(cooldown: Double, lastStart: Date) -> PolicyDecision {
        let configuration = PolicyConfiguration(rateLimits: RateLimits(maxConcurrent: 100, maxPerHour: 1000, serviceCooldown: cooldown))
        let request = PolicyRequest(service: "checkout", type: "service-restart", tier: .low, confidence: nil, incident: nil)
        let snapshot = PolicySnapshot(rateLimits: RateLimitSnapshot(running: 0, recentStarts: [lastStart], lastStartForService: lastStart))
        return RemediationPolicy.decide(request, snapshot: snapshot, configuration: configuration, now: now)
    }

    /// Another process started this service a few milliseconds "after" our now (its clock read later,
    /// or ours stepped back): with no cooldown that is no reason to refuse.
    @Test func zeroCooldownNeverRefusesEvenAStartAfterNow() {
        for offset in [0.0, 0.001, 0.5, 30] {
            let decision = decide(cooldown: 0, lastStart: now.addingTimeInterval(offset))
            #expect(decision.verdict == .execute, "offset \(offset): \(decision.reason)")
        }
    }

    /// A real cooldown still holds, also against a start after now.
    @Test func positiveCooldownStillRefuses() {
        #expect(decide(cooldown: 60, lastStart: now.addingTimeInterval(-10)).rule == "rate.cooldown")
        #expect(decide(cooldown: 60, lastStart: now.addingTimeInterval(1)).rule == "rate.cooldown")
        #expect(decide(cooldown: 60, lastStart: now.addingTimeInterval(-61)).verdict == .execute)
    }
}
