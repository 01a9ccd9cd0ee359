import AuroraCore
import Foundation

/// Fits the confidence on outcomes and checks it on cases the fit never saw: one fold per value of a
/// group dimension (`system`), each predicted by a model fitted on the other folds.
///
/// The ridge (how strongly the weights shrink towards 0) is chosen the same way: each candidate
/// ridge is scored by the log loss of the left-out predictions pooled over the folds, and the best
/// one fits the model on every case. A fit judged on its own cases rewards weights that describe
/// those systems; judged on a system it never saw, it rewards weights that carry over.
package struct RCACrossValidation: Sendable {
    /// One left-out fold.
    package struct Fold: Sendable {
        /// The value left out (`train-ticket`).
        package var value: String
        /// The model fitted without it.
        package var model: ConfidenceModel
        /// Its cases, with the confidence that model gives them.
        package var outcomes: [RCAOutcome]
        /// Their reliability table.
        package var table: ReliabilityTable
    }

    /// How one candidate ridge did with every fold left out in turn.
    package struct RidgeScore: Sendable, Equatable {
        /// The ridge.
        package var ridge: Double
        /// Mean log loss of the pooled left-out confidences (lower is better).
        package var leftOutLogLoss: Double
        /// Their expected calibration error.
        package var leftOutECE: Double
    }

    /// Ridges tried by default, from almost none to strong shrinkage.
    package static let ridges: [Double] = [0.03, 0.1, 0.3, 1, 3, 10]

    /// The dimension folded over.
    package var dimension: String
    /// The ridge chosen (the lowest left-out log loss).
    package var ridge: Double
    /// Every ridge tried, in the order given.
    package var ridgeScores: [RidgeScore]
    /// The model fitted on every case with the chosen ridge (what to ship).
    package var model: ConfidenceModel
    /// Every case scored by the model fitted on every case.
    package var inSample: ReliabilityTable
    /// Every case scored by the model fitted without its fold.
    package var leftOut: ReliabilityTable
    /// The folds, by value, with the chosen ridge.
    package var folds: [Fold]

    /// Refits on `outcomes` (those with evidence) and folds over `dimension`; cases without a value
    /// for it form the fold `(none)`. `actLine` is where aurora acts without a human. No development
    /// case has past incidents, so the history weight stays `historyWeight` rather than fitted.
    package init(_ outcomes: [RCAOutcome], dimension: String, ridges: [Double] = RCACrossValidation.ridges,
                actLine: Double = 0.7, historyWeight: Double = ConfidenceModel.historyWeight) {
        self.dimension = dimension
        func value(_ outcome: RCAOutcome) -> String {
            outcome.groups.first { $0.dimension == dimension }?.value ?? "(none)"
        }
        func fit(_ training: [RCAOutcome], ridge: Double) -> ConfidenceModel {
            var model = ConfidenceFitter.fit(training.compactMap { outcome in
                outcome.inputs.map { ($0.features, outcome.topIsRight) }
            }, ridge: ridge)
            model.weights[ConfidenceModel.historyIndex] = historyWeight
            return model
        }
        func rescored(_ list: [RCAOutcome], _ model: ConfidenceModel) -> [RCAOutcome] {
            list.map { outcome in
                var copy = outcome
                copy.confidence = outcome.inputs.map { model.confidence($0, actLine: actLine) } ?? 0
                return copy
            }
        }
        func folded(ridge: Double) -> [Fold] {
            Set(outcomes.map(value)).sorted().map { held in
                let foldModel = fit(outcomes.filter { value($0) != held }, ridge: ridge)
                let scored = rescored(outcomes.filter { value($0) == held }, foldModel)
                return Fold(value: held, model: foldModel, outcomes: scored, table: ReliabilityTable(scored))
            }
        }
        var best: (ridge: Double, loss: Double, folds: [Fold])?
        var scores: [RidgeScore] = []
        for ridge in ridges.isEmpty ? [1] : ridges {
            let folds = folded(ridge: ridge)
            let pooled = folds.flatMap(\.outcomes)
            let loss = Self.logLoss(pooled)
            scores.append(RidgeScore(ridge: ridge, leftOutLogLoss: loss,
                                     leftOutECE: ReliabilityTable(pooled).expectedCalibrationError))
            if best == nil || loss < best?.loss ?? .infinity { best = (ridge, loss, folds) }
        }
        let chosen = best ?? (1, .nan, folded(ridge: 1))
        ridge = chosen.ridge
        ridgeScores = scores
        folds = chosen.folds
        leftOut = ReliabilityTable(chosen.folds.flatMap(\.outcomes))
        model = fit(outcomes, ridge: chosen.ridge)
        inSample = ReliabilityTable(rescored(outcomes, model))
    }

    /// Mean negative log-likelihood of the outcomes under their confidences (clipped away from 0 and 1,
    /// so that one certain mistake does not make it infinite).
    static func logLoss(_ outcomes: [RCAOutcome]) -> Double {
        guard !outcomes.isEmpty else { return .nan }
        let total = outcomes.reduce(0.0) { sum, outcome in
            let p = min(max(outcome.confidence.isFinite ? outcome.confidence : 0, 1e-6), 1 - 1e-6)
            return sum - log(outcome.topIsRight ? p : 1 - p)
        }
        return total / Double(outcomes.count)
    }
}
