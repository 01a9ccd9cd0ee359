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
        strong.strength = 3.5
        var ownResource = strong
        ownResource.resource = 1
        var remembered = ownResource
        remembered.history = 1
        let values = [weak, strong, ownResource, remembered].map { model.confidence($0) }
        #expect(values == values.sorted())
        #expect(values[0] < 0.5)
        #expect(values[3] > 0.9)
        var late = strong
        late.timing = 0.1
        #expect(model.confidence(late) < values[1] - 0.2)
        var crowded = strong
        crowded.concurrentServices = 10
        #expect(model.confidence(crowded) < values[1] - 0.2)
        #expect(values.allSatisfy { $0 >= 0 && $0 <= 1 })
    }

    @Test func onlyTheFittedEvidenceMovesTheConfidence() {
        // The lead over the runner-up, the pattern fit, correlation and corroboration changed sign or size
        // from one left-out system to the next: they are reported, not weighed.
        let model = ConfidenceModel()
        let plain = ConfidenceModel.Inputs(strength: 3, margin: 0, pattern: 0, correlation: 0, history: 0, resource: 0.5)
        var decorated = plain
        decorated.margin = 0.9
        decorated.pattern = 1
        decorated.correlation = 1
        decorated.corroboration = 2
        #expect(model.confidence(decorated) == model.confidence(plain))
        #expect(ConfidenceModel.featureNames.count == plain.features.count)
        #expect(ConfidenceModel.fitted.weights[ConfidenceModel.historyIndex] == ConfidenceModel.historyWeight)
    }
}
