import AuroraCore

/// How likely an anomaly event is to mark a real fault: a probability fitted on outcomes, not a score.
///
/// Events of the default ensemble were matched against the labelled windows of two real corpora
/// (NAB's 34 development files and cloudmon's 60 service series; an event is right when it touches a
/// window, events in NAB's probationary period are left out; 932 events) and a logistic regression was
/// fitted from the event's features to that outcome (ridge 1). Only the peak of the statistical score
/// carried over from one category to another: added to it, the deviation's size in expected ranges, its
/// direction, its length, the history it was judged on or the series' earlier event rate each lowered
/// the category-left-out log loss of at most one corpus (docs/detection-experiments.md, "Event
/// confidence"). The fitted weights were close with every category left out (intercept −1.2 to −1.7,
/// slope 2.1 to 2.8) and on either corpus alone.
///
/// What it promises: among events like these on series labelled like these, about this share marked
/// a fault. It peaks near 0.7 (a score of 1): no single event is sure enough on its own to act on, so
/// an event alone is a lead for a person. The corpora label about a tenth of each series as anomalous;
/// on series with rarer faults the same event is less likely to be one.
package struct EventConfidence: Sendable, Equatable {
    /// The regression from the event's peak statistical score.
    package var model: LogisticRegression

    /// The fitted default (see the type's documentation; `aurora eval` shows how it holds on other labels).
    package static let fitted = EventConfidence(bias: -1.526, weight: 2.396)

    /// A model from its intercept and the weight of the peak score.
    package init(bias: Double, weight: Double) {
        model = LogisticRegression(bias: bias, weights: [weight])
    }

    /// The probability that an event whose statistical score peaked at `peakScore` (0–1) marks a fault.
    package func probability(peakScore: Double) -> Double {
        model.probability([min(max(peakScore.isFinite ? peakScore : 1, 0), 1)])
    }

    /// The model that best predicts `outcomes` (each event's peak statistical score, and whether it was right).
    package static func fit(_ outcomes: [EventOutcome], ridge: Double = 1) -> EventConfidence {
        let model = LogisticRegression.fit(outcomes.map { ([$0.peakScore], $0.right) }, width: 1, ridge: ridge)
        return EventConfidence(bias: model.bias, weight: model.weights[0])
    }
}
