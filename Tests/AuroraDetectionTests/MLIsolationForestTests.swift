import AuroraCore
@testable import AuroraDetection
import Testing

/// The isolation forest on constructed series.
struct MLIsolationForestTests {
    @Test func flagsASpike() {
        var values = MLFixtures.noise(3000)
        values[2000] += 10
        var detector = IsolationForestDetector()
        let scores = MLFixtures.run(&detector, values)
        #expect(detector.isTrained)
        #expect(scores[2000] >= detector.threshold)
        let falseAlarms = scores.indices.filter { $0 != 2000 && $0 != 2001 && scores[$0] >= detector.threshold }
        #expect(falseAlarms.count <= 15, "false alarms: \(falseAlarms.count)")
    }

    @Test func flagsALevelShift() {
        var values = MLFixtures.noise(3000)
        for i in 2000..<3000 { values[i] += 6 }
        var detector = IsolationForestDetector()
        let scores = MLFixtures.run(&detector, values)
        #expect(scores[2000..<2005].contains { $0 >= detector.threshold })
    }

    @Test func scoresZeroUntilTrainedAndStaysInRange() {
        let values = MLFixtures.noise(1000)
        var detector = IsolationForestDetector()
        let scores = MLFixtures.run(&detector, values)
        // 15% of 1000 rows after the 16-point window: nothing can be scored before the model exists.
        #expect(scores[0..<166].allSatisfy { $0 == 0 })
        #expect(scores.allSatisfy { $0 >= 0 && $0 <= 1 })
    }

    @Test func usesTheTimeOfDayOnADailySeries() {
        // Five-minute points, 288 a day, two weeks; training (15%) covers two days.
        let values = MLFixtures.sine(4032, period: 288, amplitude: 10, noise: 0.3)
        var detector = IsolationForestDetector()
        _ = MLFixtures.run(&detector, values)
        #expect(detector.usesTimeOfDay == true)
        var flat = IsolationForestDetector()
        _ = MLFixtures.run(&flat, MLFixtures.noise(4032))
        #expect(flat.usesTimeOfDay == false)
    }

    @Test func multivariateFlagsABrokenRelationBetweenSeries() throws {
        // Latency follows traffic; at 2500 latency rises while traffic stays, each within its own range.
        let traffic = MLFixtures.sine(3000, period: 200, amplitude: 10, noise: 0.2).map { $0 + 50 }
        var generator = Xoshiro256(seed: 3)
        var latency = traffic.map { 2 * $0 + 0.4 * generator.nextNormal() }
        for i in 2500..<2520 { latency[i] = 2 * traffic[i] + 25 }
        var detector = try MultivariateIsolationForestDetector(seriesCount: 2)
        var scores = [Double](repeating: 0, count: 3000)
        let times = MLFixtures.timestamps(3000)
        try times.withUnsafeBufferPointer { t in
            try traffic.withUnsafeBufferPointer { a in
                try latency.withUnsafeBufferPointer { b in
                    try scores.withUnsafeMutableBufferPointer {
                        try detector.score(timestamps: t, series: [a, b], into: $0)
                    }
                }
            }
        }
        #expect(scores[2500..<2520].contains { $0 >= detector.threshold })
        #expect(scores[1000..<2500].filter { $0 >= detector.threshold }.count <= 10)

        #expect(throws: MLDetectorError.self) {
            try times.withUnsafeBufferPointer { t in
                try traffic.withUnsafeBufferPointer { a in
                    try scores.withUnsafeMutableBufferPointer { try detector.score(timestamps: t, series: [a], into: $0) }
                }
            }
        }
    }
}
