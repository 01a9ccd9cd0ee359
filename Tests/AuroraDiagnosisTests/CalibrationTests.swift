import AuroraCore
import Foundation
@testable import AuroraDiagnosis
import Testing

@Suite("confidence calibration")
struct CalibrationTests {
    /// Cases whose rightness follows a known logistic law of strength and own-resource rise.
    static func rows(count: Int, seed: UInt64) -> [(features: [Double], right: Bool)] {
        var random = Xoshiro256(seed: seed)
        return (0..<count).map { _ in
            let strength = 4 * random.nextUnit(), resource = random.nextUnit()
            let p = 1 / (1 + exp(-(-3 + 1.2 * strength + 2 * resource)))
            return ([strength, resource, 0, 0, 0], random.nextUnit() < p)
        }
    }

    /// Outcomes of `systems` systems whose rightness follows `law` of the evidence (strength, resource).
    static func outcomes(systems: Int, each: Int, seed: UInt64, law: (Double, Double) -> Double) -> [RCAOutcome] {
        var random = Xoshiro256(seed: seed)
        return (0..<(systems * each)).map { index in
            let strength = 4 * random.nextUnit(), resource = random.nextUnit()
            let right = random.nextUnit() < law(strength, resource)
            return RCAOutcome(id: "\(index)", groups: [RCAGroup("system", "s\(index % systems)")], roots: ["a"],
                              ranking: right ? ["a", "b"] : ["b", "a"], confidence: 0,
                              inputs: ConfidenceModel.Inputs(strength: strength, margin: 0, pattern: 0, correlation: 0, history: 0,
                                                             timing: 1, resource: resource))
        }
    }

    @Test func theFitRecoversAKnownLawAndIsCalibrated() {
        let model = ConfidenceFitter.fit(Self.rows(count: 4000, seed: 5), ridge: 0.01)
        #expect(abs(model.bias + 3) < 0.4 && abs(model.weights[0] - 1.2) < 0.2 && abs(model.weights[1] - 2) < 0.3,
                "bias \(model.bias) weights \(model.weights)")
        let test = Self.rows(count: 4000, seed: 6)
        let table = ReliabilityTable(test.map { row in
            (model.probability(ConfidenceModel.Inputs(strength: row.features[0], margin: 0, pattern: 0, correlation: 0, history: 0,
                                                      resource: row.features[1])), row.right)
        })
        #expect(table.expectedCalibrationError < 0.05)
        #expect(table.holds())
    }

    @Test func eachFoldIsScoredByAModelThatNeverSawIt() {
        func outcome(_ index: Int, system: String, right: Bool, strength: Double) -> RCAOutcome {
            RCAOutcome(id: "\(system)-\(index)", groups: [RCAGroup("system", system)], roots: ["a"],
                       ranking: right ? ["a", "b"] : ["b", "a"], confidence: 0.5,
                       inputs: ConfidenceModel.Inputs(strength: strength, margin: 0.5, pattern: 0, correlation: 0, history: 0))
        }
        // System x: strong changes are right; system y: everything is wrong.
        let outcomes = (0..<40).map { outcome($0, system: "x", right: $0 % 4 != 0, strength: $0 % 4 == 0 ? 1 : 3.5) }
            + (0..<40).map { outcome($0, system: "y", right: false, strength: 3.5) }
        let validation = RCACrossValidation(outcomes, dimension: "system")
        #expect(validation.folds.map(\.value) == ["x", "y"])
        // Left out, y is judged by a model that learned only from x, so it is overconfident there;
        // in sample the fit knows y.
        let y = validation.folds[1]
        #expect(y.outcomes.allSatisfy { $0.confidence > 0.5 })
        #expect(validation.leftOut.expectedCalibrationError > validation.inSample.expectedCalibrationError)
        #expect(validation.leftOut.cases == 80 && validation.inSample.cases == 80)
    }

    @Test func theRidgeIsChosenOnSystemsTheFitNeverSaw() {
        // A law shared by every system: little shrinkage fits it best, and the left-out table is honest.
        let shared = RCACrossValidation(Self.outcomes(systems: 3, each: 600, seed: 11) { strength, resource in
            1 / (1 + exp(-(-6 + 1.5 * strength + 2 * resource)))
        }, dimension: "system")
        #expect(shared.ridge <= 1, "\(shared.ridgeScores)")
        #expect(shared.leftOut.expectedCalibrationError < 0.05 && shared.leftOut.holds())
        #expect(shared.ridgeScores.map(\.ridge) == RCACrossValidation.ridges)
        let chosen = shared.ridgeScores.first { $0.ridge == shared.ridge }?.leftOutLogLoss ?? .nan
        #expect(shared.ridgeScores.allSatisfy { $0.leftOutLogLoss >= chosen })
        // Evidence that says nothing: whatever a fold's weights learn is noise on the next system, so the
        // strongest shrinkage (towards the base rate) predicts the left-out systems best.
        let noise = RCACrossValidation(Self.outcomes(systems: 3, each: 200, seed: 12) { _, _ in 0.3 }, dimension: "system")
        #expect(noise.ridge == RCACrossValidation.ridges.last, "\(noise.ridgeScores)")
    }

    @Test func oneSeriesUnknownRolesAndShortHistoriesStayBelowTheActLine() {
        let model = ConfidenceModel(bias: 10, weights: [])
        let strong = ConfidenceModel.Inputs(strength: 3, margin: 1, pattern: 1, correlation: 1, history: 0)
        #expect(model.confidence(strong) > 0.99)
        var alone = strong
        alone.seriesCount = 1
        #expect(model.confidence(alone) < 0.7 && model.bounded(alone).limits == [.singleSeries])
        var unknown = strong
        unknown.roleKnown = false
        #expect(model.confidence(unknown) < 0.7 && model.bounded(unknown).limits == [.unknownRole])
        var short = strong
        short.historyPoints = 2
        #expect(model.confidence(short) <= 0.25)
    }

    /// The one-series limit guards against blaming a bystander; with one candidate service there is none.
    /// Two candidates (or an unknown count) keep it, and an unknown role is limited either way.
    @Test func oneSeriesOfTheOnlyCandidateServiceIsNotLimited() {
        let model = ConfidenceModel(bias: 10, weights: [])
        var alone = ConfidenceModel.Inputs(strength: 3, margin: 1, pattern: 1, correlation: 1, history: 0, seriesCount: 1,
                                           candidateServices: 1)
        #expect(model.confidence(alone) > 0.99 && model.bounded(alone).limits.isEmpty)
        for count in [0, 2, 40] {
            alone.candidateServices = count
            #expect(model.confidence(alone) < 0.7 && model.bounded(alone).limits == [.singleSeries])
        }
        alone.candidateServices = 1
        alone.roleKnown = false
        #expect(model.confidence(alone) < 0.7 && model.bounded(alone).limits == [.unknownRole])
    }
}
