import Foundation
import Testing
@testable import AuroraDetection

/// NAB scoring against a case worked out by hand from NAB v1.1's formulas.
struct NABScorerTests {
    /// 20 rows one minute apart; one window over rows 10–13; the first 3 rows are probationary
    /// (floor(0.15 · 20)). Scores: row 1 = 1.0 (probationary, ignored), row 5 = 0.8 (false positive
    /// before any window), row 11 = 0.9 (inside the window), row 16 = 0.7 (three rows past it).
    static func tinyFile() -> NABFile {
        var scores = [Double](repeating: 0, count: 20)
        scores[1] = 1.0
        scores[5] = 0.8
        scores[11] = 0.9
        scores[16] = 0.7
        return NABFile(name: "tiny.csv", timestamps: (0..<20).map { Int64($0) * 60_000 }, scores: scores,
                       windows: [NABWindow(start: 10 * 60_000, end: 13 * 60_000)])
    }

    @Test
    func scaledSigmoidMatchesNAB() {
        #expect(Swift.abs(NABScorer.scaledSigmoid(-1) - 0.98661) < 1e-5)
        #expect(Swift.abs(NABScorer.scaledSigmoid(-0.5) - 0.84828) < 1e-5)
        #expect(NABScorer.scaledSigmoid(0) == 0)
        #expect(NABScorer.scaledSigmoid(3) == -1)
        #expect(NABScorer.probationaryLength(rows: 20) == 3)
        #expect(NABScorer.probationaryLength(rows: 100_000) == 750)
    }

    /// By hand: the detection at row 11 sits at position −(13 − 11 + 1)/4 = −0.75 in the window:
    /// 2/(1 + e^−3.75) − 1 = 0.954045, divided by 2/(1 + e^−5) − 1 = 0.986614 gives 0.966989.
    /// Lowering the threshold to 0.8 adds −0.11 (row 5), to 0.7 adds 0.11 · (2/(1 + e^5) − 1) =
    /// −0.108528 (row 16, one window length past the window). The best threshold is 0.9 with raw
    /// 0.966989; null = −1 (one missed window), perfect = 1:
    /// standard 100 · 1.966989 / 2 = 98.349; reward_low_FN: null −2, 100 · 2.966989 / 3 = 98.900.
    @Test
    func tinyCorpusScoresAsWorkedOutByHand() {
        let standard = NABScorer.score([Self.tinyFile()], profile: .standard)
        #expect(standard.threshold == 0.9)
        #expect(Swift.abs(standard.rawScore - 0.966989) < 1e-6)
        #expect(standard.nullScore == -1 && standard.perfectScore == 1)
        #expect(Swift.abs(standard.normalizedScore - 98.3494) < 1e-3)
        #expect(standard.truePositives == 1 && standard.falsePositives == 0)
        let lowFN = NABScorer.score([Self.tinyFile()], profile: .rewardLowFalseNegatives)
        #expect(Swift.abs(lowFN.normalizedScore - 98.8996) < 1e-3)
        let lowFP = NABScorer.score([Self.tinyFile()], profile: .rewardLowFalsePositives)
        #expect(Swift.abs(lowFP.normalizedScore - 98.3494) < 1e-3)
    }

    /// Without the high in-window score, the best threshold is 0 (every row detected): row 10 is a
    /// true positive at the window's left edge (exactly 1.0); rows 3–9 cost 7 · 0.11 = 0.77; rows
    /// 14–19 sit 1/3 … 2 window lengths past it: 0.11 · (0.68226 + 0.93110 + 0.98661 + 0.99746 +
    /// 0.99952 + 0.99991) = 0.615655. Raw −0.385655, normalised 100 · 0.614345 / 2 = 30.717.
    @Test
    func detectingEverythingScoresAsWorkedOutByHand() {
        var file = Self.tinyFile()
        file.scores[11] = 0
        let result = NABScorer.score([file], profile: .standard)
        #expect(result.threshold == 0)
        #expect(Swift.abs(result.rawScore - -0.385655) < 1e-5)
        #expect(Swift.abs(result.normalizedScore - 30.7172) < 1e-3)
    }

    /// A later-but-higher-scored detection in a window counts at its own position; the earliest
    /// detection above the threshold wins once the threshold admits it.
    @Test
    func theEarliestDetectionInAWindowCounts() {
        var file = Self.tinyFile()
        file.scores = [Double](repeating: 0, count: 20)
        file.scores[13] = 0.9 // last row: position −1/4
        file.scores[10] = 0.5 // first row: position −1
        let result = NABScorer.score([file], profile: .standard)
        #expect(result.threshold == 0.5)
        #expect(Swift.abs(result.rawScore - 1) < 1e-12)
        #expect(Swift.abs(result.normalizedScore - 100) < 1e-9)
    }

    @Test
    func eventMetricsCountWindowsAndDetections() {
        let metrics = NABEventMetrics.measure([Self.tinyFile()], threshold: 0.7)
        #expect(metrics.windows == 1 && metrics.detectedWindows == 1)
        #expect(metrics.detections == 3 && metrics.trueDetections == 1)
        #expect(Swift.abs(metrics.precision - 1.0 / 3) < 1e-12 && metrics.recall == 1)
        #expect(Swift.abs(metrics.f1 - 0.5) < 1e-12)
        #expect(metrics.meanDelayMilliseconds == 60_000)
    }

    @Test
    func labelsParseNABFormat() throws {
        let json = #"{"a/b.csv": [["2014-04-10 07:15:00.000000", "2014-04-11 16:45:00.000000"]], "c.csv": []}"#
        let labels = try NABLabels.parse(Data(json.utf8))
        #expect(labels["c.csv"] == [])
        #expect(labels["a/b.csv"] == [NABWindow(start: 1_397_114_100_000, end: 1_397_234_700_000)])
        #expect(throws: DetectionError.self) { try NABLabels.parse(Data(#"{"x": [["bad", "2014-04-10 07:15:00"]]}"#.utf8)) }
        #expect(NABTimestamp.milliseconds("1970-01-01 00:00:01") == 1000)
        #expect(NABTimestamp.milliseconds("2014-04-10T07:15:00.250Z") == 1_397_114_100_250)
        #expect(NABTimestamp.milliseconds("2014-13-10 07:15:00") == nil)
    }
}
