/// Where a labelled file belongs: its corpus (one labels file) and its category (the folder of the
/// corpus it sits in, e.g. `realTweets`).
package struct EvaluationGroup: Sendable, Hashable, Comparable {
    /// Corpus name.
    package var corpus: String
    /// Category within the corpus.
    package var category: String

    /// A group.
    package init(corpus: String, category: String) {
        self.corpus = corpus
        self.category = category
    }

    package static func < (left: EvaluationGroup, right: EvaluationGroup) -> Bool {
        (left.corpus, left.category) < (right.corpus, right.category)
    }
}

/// One way of configuring a detector that the cross-validation may choose, with the scores it gave
/// every file (in the same file order for every candidate).
package struct EvaluationCandidate: Sendable {
    /// What the candidate sets, for reports (e.g. `default`, `window=500`).
    package var label: String
    /// Scored files, in the evaluation's file order.
    package var files: [NABFile]

    /// A candidate.
    package init(label: String, files: [NABFile]) {
        self.label = label
        self.files = files
    }
}

/// The held-out result of one category.
package struct CrossValidationFold: Sendable {
    /// The category left out.
    package var group: EvaluationGroup
    /// The candidate chosen on the other categories.
    package var candidate: String
    /// The threshold chosen on the other categories.
    package var threshold: Double
    /// The left-out category scored with that candidate at that threshold.
    package var result: NABResult
    /// Labelled windows in the category (a category without windows only measures false alarms).
    package var windows: Int

    /// The fold's normalised score, nil when the category has no window to normalise by.
    package var normalizedScore: Double? { windows == 0 ? nil : result.normalizedScore }
}

/// One corpus under one profile: the usual in-sample score next to what leaving categories out gives.
package struct CorpusCrossValidation: Sendable {
    /// Corpus name.
    package var corpus: String
    /// The profile.
    package var profile: NABProfile
    /// The first (default) candidate with the threshold optimised on this whole corpus: NAB's own score.
    package var inSample: NABResult
    /// Every fold of this corpus, by category.
    package var folds: [CrossValidationFold]
    /// Every candidate's in-sample score on this corpus (threshold optimised on it), for choosing defaults.
    package var candidateScores: [(label: String, score: Double)] = []

    /// The folds pooled: their raw scores summed and normalised between the corpus's null and perfect
    /// detectors, so it reads on the same scale as `inSample` (window-less categories count their
    /// false alarms here).
    package var leftOut: Double {
        let raw = folds.reduce(0) { $0 + $1.result.rawScore }
        let null = folds.reduce(0) { $0 + $1.result.nullScore }
        let perfect = folds.reduce(0) { $0 + $1.result.perfectScore }
        return perfect - null == 0 ? 0 : 100 * (raw - null) / (perfect - null)
    }

    /// Mean normalised score of the folds that have windows.
    package var meanFold: Double? {
        let scores = folds.compactMap(\.normalizedScore)
        return scores.isEmpty ? nil : scores.reduce(0, +) / Double(scores.count)
    }

    /// The fold with windows that scored lowest.
    package var worstFold: CrossValidationFold? {
        folds.filter { $0.windows > 0 }.min { $0.result.normalizedScore < $1.result.normalizedScore }
    }
}

/// Category-left-out cross-validation of a detector over one or several labelled corpora.
///
/// For each category of each corpus: the candidate (parameter set) and the threshold are chosen on
/// every other category, of every corpus, then the left-out category is scored with them. Choosing on
/// other categories is what happens to a default on a dump nobody tuned it for: if the left-out score
/// sits far below the in-sample one, the in-sample score was bought by fitting. With several corpora
/// the choice maximises the mean of the corpora's normalised scores, so a corpus with more windows
/// does not outvote a smaller one.
package enum CategoryCrossValidation {
    /// Runs every fold under one profile. `groups[i]` is where file `i` belongs; every candidate
    /// lists its files in that order. Returns one entry per corpus, in sorted order.
    package static func run(candidates: [EvaluationCandidate], groups: [EvaluationGroup], profile: NABProfile) -> [CorpusCrossValidation] {
        guard let first = candidates.first else { return [] }
        let folds = Array(Set(groups)).sorted()
        let corpora = Array(Set(groups.map(\.corpus))).sorted()
        let tables = candidates.map { SweepTable($0.files, groups: groups, folds: folds, corpora: corpora, profile: profile) }
        var results: [CorpusCrossValidation] = []
        var byCorpus: [String: [CrossValidationFold]] = [:]
        for (foldIndex, fold) in folds.enumerated() {
            var best: (candidate: Int, threshold: Double, objective: Double)?
            for (index, table) in tables.enumerated() {
                let choice = table.bestThreshold(leavingOut: foldIndex)
                if best == nil || choice.objective > best!.objective + 1e-12 {
                    best = (index, choice.threshold, choice.objective)
                }
            }
            guard let chosen = best else { continue }
            let held = zip(candidates[chosen.candidate].files, groups).filter { $0.1 == fold }.map(\.0)
            let result = NABScorer.score(held, profile: profile, threshold: chosen.threshold)
            byCorpus[fold.corpus, default: []].append(CrossValidationFold(
                group: fold, candidate: candidates[chosen.candidate].label, threshold: chosen.threshold,
                result: result, windows: held.reduce(0) { $0 + $1.windows.count }))
        }
        for corpus in corpora {
            let files = zip(first.files, groups).filter { $0.1.corpus == corpus }.map(\.0)
            var validation = CorpusCrossValidation(
                corpus: corpus, profile: profile, inSample: NABScorer.score(files, profile: profile), folds: byCorpus[corpus] ?? [])
            validation.candidateScores = candidates.map { candidate in
                let own = zip(candidate.files, groups).filter { $0.1.corpus == corpus }.map(\.0)
                return (candidate.label, NABScorer.score(own, profile: profile).normalizedScore)
            }
            results.append(validation)
        }
        return results
    }
}

/// One candidate's sweep rows over every file, sorted once, so each fold's threshold search is a
/// single pass that skips the left-out category instead of a fresh sort.
private struct SweepTable {
    private var rows: [NABScorer.SweepRow] = []
    private var rowFold: [Int32] = []
    private var rowCorpus: [Int32] = []
    private var order: [Int] = []
    /// Per window: whether NAB counts it (not wholly probationary), its fold and corpus.
    private var windowSeen: [Bool] = []
    private var windowFold: [Int32] = []
    private var windowCorpus: [Int32] = []
    /// Labelled windows per fold (the perfect score counts every labelled window).
    private var labelledPerFold: [Int]
    private let corpusOfFold: [Int]
    private let corpusCount: Int
    private let profile: NABProfile

    init(_ files: [NABFile], groups: [EvaluationGroup], folds: [EvaluationGroup], corpora: [String], profile: NABProfile) {
        self.profile = profile
        corpusCount = corpora.count
        let foldIndex = Dictionary(uniqueKeysWithValues: folds.enumerated().map { ($1, $0) })
        let corpusIndex = Dictionary(uniqueKeysWithValues: corpora.enumerated().map { ($1, $0) })
        corpusOfFold = folds.map { corpusIndex[$0.corpus] ?? 0 }
        labelledPerFold = [Int](repeating: 0, count: folds.count)
        var seen = Set<Int>()
        for (file, group) in zip(files, groups) {
            let fold = foldIndex[group] ?? 0
            let corpus = corpusIndex[group.corpus] ?? 0
            let base = windowSeen.count
            let fileRows = NABScorer.sweepRows(file, profile: profile, windowBase: base, windowsSeen: &seen)
            rows += fileRows
            rowFold += [Int32](repeating: Int32(fold), count: fileRows.count)
            rowCorpus += [Int32](repeating: Int32(corpus), count: fileRows.count)
            for _ in file.windows {
                windowSeen.append(false)
                windowFold.append(Int32(fold))
                windowCorpus.append(Int32(corpus))
            }
            labelledPerFold[fold] += file.windows.count
        }
        for id in seen { windowSeen[id] = true }
        let rows = self.rows
        order = rows.indices.sorted { rows[$0].anomalyScore > rows[$1].anomalyScore || (rows[$0].anomalyScore == rows[$1].anomalyScore && $0 < $1) }
    }

    /// The threshold that maximises the mean normalised score of the corpora over every fold but
    /// `leftOut`, and that objective (in units of normalised points × corpora).
    func bestThreshold(leavingOut leftOut: Int) -> (threshold: Double, objective: Double) {
        let excluded = Int32(leftOut)
        // Each corpus's factor 100 / (perfect − null) over its training folds.
        var perfect = [Double](repeating: 0, count: corpusCount)
        var null = [Double](repeating: 0, count: corpusCount)
        for (fold, labelled) in labelledPerFold.enumerated() where fold != leftOut {
            perfect[corpusOfFold[fold]] += profile.truePositiveWeight * Double(labelled)
        }
        for id in windowSeen.indices where windowSeen[id] && windowFold[id] != excluded {
            null[Int(windowCorpus[id])] -= profile.falseNegativeWeight
        }
        // A training part without windows still pays for its false alarms, at one window's scale.
        let factor = (0..<corpusCount).map { corpus in
            100 / max(perfect[corpus] - null[corpus], profile.truePositiveWeight + profile.falseNegativeWeight)
        }
        var windowPart = windowSeen.indices.map { id in
            windowSeen[id] && windowFold[id] != excluded ? -profile.falseNegativeWeight * factor[Int(windowCorpus[id])] : 0
        }
        var windowSum = windowPart.reduce(0, +)
        let nullObjective = windowSum
        var falsePositiveSum = 0.0
        var best = (threshold: 1.1, score: windowSum)
        var current = 1.1
        for index in order where rowFold[index] != excluded {
            let row = rows[index]
            if row.anomalyScore != current {
                let total = windowSum + falsePositiveSum
                if total > best.score { best = (current, total) }
                current = row.anomalyScore
            }
            let weight = factor[Int(rowCorpus[index])]
            if row.window >= 0 {
                let improved = max(windowPart[row.window], row.sweepScore * weight)
                windowSum += improved - windowPart[row.window]
                windowPart[row.window] = improved
            } else {
                falsePositiveSum += row.sweepScore * weight
            }
        }
        let total = windowSum + falsePositiveSum
        if total > best.score { best = (current, total) }
        return (best.threshold, best.score - nullObjective)
    }
}
