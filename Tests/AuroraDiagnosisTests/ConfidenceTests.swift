import AuroraCore
import AuroraDiagnosis
import Testing

@Suite("confidence")
struct ConfidenceTests {
    @Test(arguments: [
        (0.95, ConfidenceTier.autoExecute), (0.9, .autoWithMonitoring), (0.75, .autoWithMonitoring), (0.7, .autoWithMonitoring),
        (0.69, .approval), (0.5, .approval), (0.49, .escalate), (0.0, .escalate),
    ])
    func defaultTiers(confidence: Double, tier: ConfidenceTier) {
        #expect(ConfidenceTiers().tier(for: confidence) == tier)
    }

    @Test func configuredTiersStayOrdered() {
        let tiers = ConfidenceTiers(autoExecute: 0.8, autoWithMonitoring: 0.9, approval: 0.95)
        #expect(tiers.autoWithMonitoring <= tiers.autoExecute)
        #expect(tiers.approval <= tiers.autoWithMonitoring)
        #expect(tiers.tier(for: 0.85) == .autoExecute)
    }

    @Test func moreEvidenceMeansMoreConfidence() {
        let model = ConfidenceModel()
        let weak = ConfidenceModel.Inputs(strength: 1.8, margin: 0.1, pattern: 0, correlation: 0, history: 0)
        var strong = weak
        strong.strength = 4
        var matched = strong
        matched.pattern = 1
        var remembered = matched
        remembered.history = 1
        let values = [weak, strong, matched, remembered].map { model.confidence($0) }
        #expect(values == values.sorted())
        #expect(values[0] < 0.5)
        #expect(values[3] > 0.8)
        var late = remembered
        late.timing = 0.1
        #expect(model.confidence(late) < values[3] - 0.2)
        var ownResource = matched
        ownResource.resource = 1
        #expect(model.confidence(ownResource) > model.confidence(matched))
        #expect(values.allSatisfy { $0 >= 0 && $0 <= 1 })
    }
}
