import AuroraCore
@testable import AuroraDetection
import Testing

/// The LSTM forecaster on constructed series.
struct MLForecasterTests {
    @Test func learnsASineWaveAndFlagsABrokenPeriod() throws {
        var values = MLFixtures.sine(4000, period: 48, amplitude: 5, noise: 0.05)
        // One period flattened at the mean: values stay within the normal range, the shape breaks.
        for i in 3500..<3548 { values[i] = 0 }
        var detector = LSTMForecasterDetector()
        let times = MLFixtures.timestamps(values.count)
        var scores = MLFixtures.run(&detector, Array(values[0..<3500]), timestamps: Array(times[0..<3500]))
        // The forecast error is a small fraction of the series' deviation once the sine is learnt.
        #expect(detector.recentMeanError < 0.1, "mean error \(detector.recentMeanError)")
        scores += MLFixtures.run(&detector, Array(values[3500...]), timestamps: Array(times[3500...]))
        #expect(scores[2000..<3500].filter { $0 >= detector.threshold }.count <= 2, "false alarms on the learnt sine")
        #expect(scores[3500..<3548].contains { $0 >= detector.threshold }, "broken period not flagged")
    }

    @Test func flagsASpikeInNoise() {
        var values = MLFixtures.noise(3000)
        // Twelve deviations: the default bar is an error 8 deviations above the recent mean error.
        values[2500] += 12
        var detector = MLFixtures.smallLSTM()
        let scores = MLFixtures.run(&detector, values)
        #expect(scores[2500] >= detector.threshold)
        #expect(scores[1000..<2500].filter { $0 >= detector.threshold }.count <= 3)
    }

    @Test func scoresStayInRangeOnAFlatLineAndConstantsAfterIt() {
        var values = [Double](repeating: 42, count: 800)
        values += [Double](repeating: 43, count: 200)
        var detector = MLFixtures.smallLSTM()
        let scores = MLFixtures.run(&detector, values)
        #expect(scores.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(scores[0..<800].allSatisfy { $0 < detector.threshold })
        #expect(scores[800] >= detector.threshold, "a step off a constant is flagged")
    }

    @Test func rejectsABadConfiguration() {
        var configuration = LSTMForecasterConfiguration()
        configuration.hiddenSize = 0
        #expect(throws: MLDetectorError.self) { try LSTMForecasterDetector(configuration: configuration) }
    }
}
