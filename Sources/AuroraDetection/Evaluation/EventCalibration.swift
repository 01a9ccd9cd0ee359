import AuroraCore

/// Whether the events' confidence keeps its promise on labelled corpora: per corpus, how often the
/// events of each confidence band were right, the model these outcomes would fit, and with
/// cross-validation the same table for a model refitted without each category in turn.
package struct EventCalibration: Sendable {
    /// Corpus name, or `all` for every corpus pooled.
    package var corpus: String
    /// The shipped confidence (`EventConfidence.fitted`) against the outcomes.
    package var shipped: ReliabilityTable
    /// The model these outcomes fit (ridge 1, as the default was fitted); nil with fewer than
    /// `minimumEach` right or wrong events, where a fit says nothing (with none wrong, it says "always").
    package var refitted: EventConfidence?
    /// With cross-validation: each category's events scored by a model fitted on every other
    /// category of every corpus, pooled; how a refit would hold on labels it never saw.
    package var leftOut: ReliabilityTable?

    /// Bands for events: their confidences lie between about 0.2 and 0.75, so the diagnosis tiers
    /// (0.5, 0.7, 0.9) would put nearly all of them in one band.
    package static let edges: [Double] = [0, 0.3, 0.4, 0.5, 0.6, 0.7, 1]

    /// Right and wrong events each needed before a refit is shown.
    package static let minimumEach = 5

    /// Grades `outcomes` (one list per file, `groups[i]` the file's corpus and category): one entry per
    /// corpus in order of first appearance, then `all` when there are several.
    package static func measure(_ outcomes: [[EventOutcome]], groups: [EvaluationGroup], crossValidate: Bool) -> [EventCalibration] {
        var leftOutConfidence = outcomes
        if crossValidate {
            for fold in Set(groups) {
                let training = zip(outcomes, groups).filter { $0.1 != fold }.flatMap(\.0)
                let model = EventConfidence.fit(training)
                for index in groups.indices where groups[index] == fold {
                    leftOutConfidence[index] = outcomes[index].map {
                        EventOutcome(peakScore: $0.peakScore, confidence: model.probability(peakScore: $0.peakScore), right: $0.right)
                    }
                }
            }
        }
        var corpora: [String] = []
        for group in groups where !corpora.contains(group.corpus) { corpora.append(group.corpus) }
        let selections: [(name: String, files: [Int])] = corpora.map { corpus in (corpus, groups.indices.filter { groups[$0].corpus == corpus }) }
            + (corpora.count > 1 ? [("all", Array(groups.indices))] : [])
        func fittable(_ outcomes: [EventOutcome]) -> Bool {
            let right = outcomes.filter(\.right).count
            return right >= minimumEach && outcomes.count - right >= minimumEach
        }
        return selections.map { selection in
            let graded = selection.files.flatMap { outcomes[$0] }
            return EventCalibration(
                corpus: selection.name,
                shipped: ReliabilityTable(graded.map { ($0.confidence, $0.right) }, edges: edges),
                refitted: fittable(graded) ? EventConfidence.fit(graded) : nil,
                leftOut: crossValidate
                    ? ReliabilityTable(selection.files.flatMap { leftOutConfidence[$0] }.map { ($0.confidence, $0.right) }, edges: edges)
                    : nil)
        }
    }
}
