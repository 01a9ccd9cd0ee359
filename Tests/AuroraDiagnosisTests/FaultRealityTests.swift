import AuroraCore
@testable import AuroraDiagnosis
import Testing

/// How likely an incident is a real fault: an operator's rule vouches for it, otherwise its strongest
/// anomaly's fitted confidence, otherwise nothing was measured and a person decides.
@Suite struct FaultRealityTests {
    let tiers = ConfidenceTiers()

    @Test func theStrongestAnomalyDecidesAndSeveralAreNotCombined() {
        let reality = FaultReality(events: [.init(confidence: 0.41), .init(confidence: 0.66), .init(confidence: 0.52)])
        #expect(reality.basis == .anomaly && reality.probability == 0.66)
        // Three series at 0.4–0.66 are not "surely" a fault: whether they echo each other was never measured.
        #expect(abs(reality.acting(on: 1, tiers: tiers) - 0.66) < 1e-12)
        #expect(abs(reality.acting(on: 0.5, tiers: tiers) - 0.33) < 1e-12)
        #expect(reality.text == "real 66% (strongest anomaly)" && reality.basisName == "anomaly")
    }

    @Test func aConfiguredRuleThatVotedVouchesForTheFault() {
        let reality = FaultReality(events: [.init(confidence: 0.3), .init(confidence: 0.45, rule: "errors-high")])
        #expect(reality.basis == .rule("errors-high") && reality.probability == 1)
        #expect(reality.acting(on: 0.93, tiers: tiers) == 0.93)
        #expect(reality.text == "real (rule `errors-high` fired)")
    }

    @Test func withoutAFittedConfidenceNothingIsMeasuredAndAPersonDecides() {
        let reality = FaultReality(events: [.init(confidence: nil), .init(confidence: .nan)])
        #expect(reality.basis == .unmeasured && reality.probability == nil)
        let acting = reality.acting(on: 0.99, tiers: tiers)
        #expect(tiers.tier(for: acting) == .approval)
        #expect(reality.acting(on: 0.4, tiers: tiers) == 0.4)
        #expect(FaultReality(events: []).basis == .unmeasured)
    }
}
