import AuroraCore

/// Fits the confidence model on outcomes: an L2-regularised logistic regression from each case's
/// top-candidate evidence to whether that candidate was right.
package enum ConfidenceFitter {
    /// The model that best predicts `rows` (features in `ConfidenceModel.featureNames` order, and
    /// whether the top candidate was right). `ridge` shrinks the weights (not the intercept) towards 0.
    package static func fit(_ rows: [(features: [Double], right: Bool)], ridge: Double = 1) -> ConfidenceModel {
        guard !rows.isEmpty else { return ConfidenceModel(bias: 0, weights: []) }
        let model = LogisticRegression.fit(rows.map { ($0.features, $0.right) }, width: ConfidenceModel.featureNames.count, ridge: ridge)
        return ConfidenceModel(bias: model.bias, weights: model.weights)
    }
}
