import Testing
@testable import AuroraDetection

/// Category-left-out cross-validation on corpora small enough to work out by hand.
struct CrossValidationTests {
    /// 20 one-minute rows, one window over rows 10–13, the given scores at the given rows.
    static func file(_ name: String, scores: [Int: Double]) -> NABFile {
        var values = [Double](repeating: 0, count: 20)
        for (row, score) in scores { values[row] = score }
        return NABFile(name: name, timestamps: (0..<20).map { Int64($0) * 60_000 }, scores: values,
                       windows: [NABWindow(start: 10 * 60_000, end: 13 * 60_000)])
    }

    @Test
    func aFixedThresholdScoresWhatItDetects() {
        let file = NABScorerTests.tinyFile()
        let optimised = NABScorer.score([file], profile: .standard)
        let fixed = NABScorer.score([file], profile: .standard, threshold: optimised.threshold)
        #expect(Swift.abs(fixed.normalizedScore - optimised.normalizedScore) < 1e-9)
        #expect(fixed.truePositives == optimised.truePositives && fixed.falsePositives == optimised.falsePositives)
        // At 0.7 the rows at 5 and 16 are false alarms too: 0.966989 − 0.11 − 0.108528.
        let low = NABScorer.score([file], profile: .standard, threshold: 0.7)
        #expect(Swift.abs(low.rawScore - (0.966989 - 0.11 - 0.108528)) < 1e-5)
        #expect(low.falsePositives == 2)
        // Above every score nothing is detected: the null score.
        #expect(NABScorer.score([file], profile: .standard, threshold: 2).normalizedScore == 0)
    }

    /// Category x finds its window at 0.9; category y only at 0.6, and has a false alarm at 0.8.
    /// Trained on y alone the threshold is 0.6, which still finds x's window; trained on x alone it
    /// is 0.9, which misses y's window: y's fold scores 0, the null detector's score.
    @Test
    func theThresholdComesFromTheOtherCategories() {
        let x = Self.file("x/a.csv", scores: [11: 0.9])
        let y = Self.file("y/b.csv", scores: [10: 0.6, 5: 0.8])
        let groups = [EvaluationGroup(corpus: "c", category: "x"), EvaluationGroup(corpus: "c", category: "y")]
        let result = CategoryCrossValidation.run(candidates: [EvaluationCandidate(label: "default", files: [x, y])],
                                                 groups: groups, profile: .standard)
        #expect(result.count == 1)
        let validation = result[0]
        #expect(validation.folds.map(\.group.category) == ["x", "y"])
        #expect(validation.folds[0].threshold == 0.6)
        #expect(validation.folds[1].threshold == 0.9)
        #expect(validation.folds[0].result.truePositives > 0)
        #expect(validation.folds[1].normalizedScore == 0)
        #expect(validation.worstFold?.group.category == "y")
        #expect(validation.leftOut < validation.inSample.normalizedScore)
        #expect(Swift.abs(validation.meanFold! - (validation.folds[0].result.normalizedScore + 0) / 2) < 1e-9)
    }

    /// The candidate is chosen on the other categories too, and a category without windows counts
    /// its false alarms in the pooled score but not in the mean or worst fold.
    @Test
    func theCandidateIsChosenOnTheOtherCategories() {
        let groups = [
            EvaluationGroup(corpus: "c", category: "x"), EvaluationGroup(corpus: "c", category: "y"),
            EvaluationGroup(corpus: "c", category: "quiet"),
        ]
        var quiet = Self.file("quiet/q.csv", scores: [15: 0.95])
        quiet.windows = []
        let sharp = EvaluationCandidate(label: "sharp", files: [
            Self.file("x/a.csv", scores: [10: 0.9]), Self.file("y/b.csv", scores: [10: 0.9]), quiet,
        ])
        let blunt = EvaluationCandidate(label: "blunt", files: [
            Self.file("x/a.csv", scores: [4: 0.9]), Self.file("y/b.csv", scores: [4: 0.9]), quiet,
        ])
        let result = CategoryCrossValidation.run(candidates: [blunt, sharp], groups: groups, profile: .standard)[0]
        #expect(result.folds.allSatisfy { $0.candidate == "sharp" })
        let quietFold = result.folds.first { $0.group.category == "quiet" }
        #expect(quietFold?.normalizedScore == nil)
        #expect(quietFold?.result.falsePositives == 1)
        #expect(result.meanFold == 100)
        #expect(result.leftOut < 100, "the quiet category's false alarm costs the pooled score")
        // In-sample is always the first candidate: what `aurora detect` runs.
        #expect(result.inSample.normalizedScore < result.leftOut)
    }

    /// With two corpora each reports its own folds, and training spans both.
    @Test
    func severalCorporaAreReportedApart() {
        let groups = [
            EvaluationGroup(corpus: "one", category: "x"), EvaluationGroup(corpus: "one", category: "y"),
            EvaluationGroup(corpus: "two", category: "z"),
        ]
        let files = [
            Self.file("x/a.csv", scores: [10: 0.9]), Self.file("y/b.csv", scores: [10: 0.9]), Self.file("z/c.csv", scores: [10: 0.9]),
        ]
        let result = CategoryCrossValidation.run(candidates: [EvaluationCandidate(label: "default", files: files)],
                                                 groups: groups, profile: .rewardLowFalsePositives)
        #expect(result.map(\.corpus) == ["one", "two"])
        #expect(result[0].folds.count == 2 && result[1].folds.count == 1)
        // The single category of corpus two is scored with a threshold learnt on corpus one.
        #expect(result[1].folds[0].threshold == 0.9)
        #expect(result[1].leftOut == 100)
    }
}
