/// Fits the confidence on outcomes and checks it on cases the fit never saw: one fold per value of a
/// group dimension (`system`), each predicted by a model fitted on the other folds.
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

    /// The dimension folded over.
    package var dimension: String
    /// The model fitted on every case (what to ship).
    package var model: ConfidenceModel
    /// Every case scored by the model fitted on every case.
    package var inSample: ReliabilityTable
    /// Every case scored by the model fitted without its fold.
    package var leftOut: ReliabilityTable
    /// The folds, by value.
    package var folds: [Fold]

    /// Refits on `outcomes` (those with evidence) and folds over `dimension`; cases without a value
    /// for it form the fold `(none)`. `actLine` is where aurora acts without a human.
    package init(_ outcomes: [RCAOutcome], dimension: String, ridge: Double = 1, actLine: Double = 0.7,
                historyWeight: Double = ConfidenceModel.fitted.weights[4]) {
        self.dimension = dimension
        func value(_ outcome: RCAOutcome) -> String {
            outcome.groups.first { $0.dimension == dimension }?.value ?? "(none)"
        }
        func fit(_ training: [RCAOutcome]) -> ConfidenceModel {
            var model = ConfidenceFitter.fit(training.compactMap { outcome in
                outcome.inputs.map { ($0.features, outcome.topIsRight) }
            }, ridge: ridge)
            // No development case has past incidents: the history weight stays as set by hand.
            model.weights[4] = historyWeight
            return model
        }
        func rescored(_ list: [RCAOutcome], _ model: ConfidenceModel) -> [RCAOutcome] {
            list.map { outcome in
                var copy = outcome
                copy.confidence = outcome.inputs.map { model.confidence($0, actLine: actLine) } ?? 0
                return copy
            }
        }
        model = fit(outcomes)
        inSample = ReliabilityTable(rescored(outcomes, model))
        var folds: [Fold] = []
        for held in Set(outcomes.map(value)).sorted() {
            let foldModel = fit(outcomes.filter { value($0) != held })
            let scored = rescored(outcomes.filter { value($0) == held }, foldModel)
            folds.append(Fold(value: held, model: foldModel, outcomes: scored, table: ReliabilityTable(scored)))
        }
        self.folds = folds
        leftOut = ReliabilityTable(folds.flatMap(\.outcomes))
    }
}
