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
        #expect(reality.actingText(on: 0.5, tiers: tiers) == "33%")
    }

    /// The fitted event confidence reaches the act line only at its top (a saturated peak, 0.705), where it
    /// was right 0.61 of the time in sample and 0.38 with its category left out: an anomaly alone never lets
    /// aurora act without a person, however sure the cause.
    @Test func anAnomalyAloneStaysBelowTheLineWhereAuroraActsAlone() {
        let top = FaultReality(events: [.init(confidence: 0.705)])
        let acting = top.acting(on: 1, tiers: tiers)
        #expect(acting < tiers.autoWithMonitoring && tiers.tier(for: acting) == .approval)
        #expect(top.ceiling(tiers: tiers) == tiers.autoWithMonitoring - FaultReality.belowTheLine)
        // Shown as what it is, not as a rounded 70% that reads as the line met.
        #expect(top.actingText(on: 1, tiers: tiers) == "under 70% (no rule vouches for the fault)")
        // Below the line the product stands.
        #expect(abs(top.acting(on: 0.9, tiers: tiers) - 0.6345) < 1e-12 && top.actingText(on: 0.9, tiers: tiers) == "63%")
    }

    @Test func aConfiguredRuleThatVotedVouchesForTheFault() {
        let reality = FaultReality(events: [.init(confidence: 0.3), .init(confidence: 0.45, rule: "errors-high")])
        #expect(reality.basis == .rule("errors-high") && reality.probability == 1)
        #expect(reality.acting(on: 0.93, tiers: tiers) == 0.93 && reality.ceiling(tiers: tiers) == nil)
        #expect(tiers.tier(for: reality.acting(on: 0.93, tiers: tiers)) == .autoExecute && reality.actingText(on: 0.93, tiers: tiers) == "93%")
        #expect(reality.text == "real (rule `errors-high` fired)")
    }

    @Test func withoutAFittedConfidenceNothingIsMeasuredAndAPersonDecides() {
        let reality = FaultReality(events: [.init(confidence: nil), .init(confidence: .nan)])
        #expect(reality.basis == .unmeasured && reality.probability == nil)
        let acting = reality.acting(on: 0.99, tiers: tiers)
        #expect(tiers.tier(for: acting) == .approval)
        #expect(reality.actingText(on: 0.99, tiers: tiers) == "under 70% (no rule vouches for the fault)")
        #expect(reality.acting(on: 0.4, tiers: tiers) == 0.4)
        #expect(FaultReality(events: []).basis == .unmeasured)
    }
}
