import AuroraCore
@testable import AuroraDetection
import Foundation
import Testing

/// A change of shape that keeps mean and variance: invisible to a rolling z-score, caught by the
/// isolation forest (through differences) and the LSTM (through forecast errors).
struct MLShapeChangeTests {
    enum Change: String, CaseIterable, Sendable {
        /// Sine of amplitude A becomes a square wave of amplitude A/√2: same mean 0, same variance A²/2.
        case sineToSquare
        /// The sine's frequency doubles: same mean and variance, twice the slope.
        case frequencyDoubles
        /// The sine's frequency quadruples. The forest sees slope only through first differences,
        /// whose training range already includes the noise, so at its default bar it needs the slope
        /// well beyond that range; the forecaster catches a doubling.
        case frequencyQuadruples
    }

    static func series(_ change: Change) -> [Double] {
        let before = MLFixtures.sine(3000, period: 40, amplitude: 4, noise: 0.05)
        var generator = Xoshiro256(seed: 17)
        let after: [Double] = (0..<400).map { i in
            let noise = 0.05 * generator.nextNormal()
            switch change {
            case .sineToSquare:
                return (i % 40 < 20 ? 4 / 2.0.squareRoot() : -4 / 2.0.squareRoot()) + noise
            case .frequencyDoubles:
                return 4 * sin(2 * .pi * 2 * Double(i) / 40) + noise
            case .frequencyQuadruples:
                return 4 * sin(2 * .pi * 4 * Double(i) / 40) + noise
            }
        }
        return before + after
    }

    @Test(arguments: Change.allCases)
    func rollingZScoreMissesIt(change: Change) {
        let z = MLFixtures.rollingZ(Self.series(change), window: 120)
        #expect(z[3000..<3400].max() ?? 0 < 3, "the reference statistic should not see this change")
    }

    @Test(arguments: [Change.sineToSquare, .frequencyQuadruples])
    func isolationForestCatchesIt(change: Change) {
        let values = Self.series(change)
        var detector = IsolationForestDetector()
        let scores = MLFixtures.run(&detector, values)
        #expect(scores[3000..<3080].contains { $0 >= detector.threshold })
        #expect(scores[1000..<3000].filter { $0 >= detector.threshold }.count <= 10)
    }

    @Test(arguments: [Change.sineToSquare, .frequencyDoubles])
    func lstmCatchesIt(change: Change) {
        let values = Self.series(change)
        var detector = MLFixtures.smallLSTM()
        let scores = MLFixtures.run(&detector, values)
        #expect(scores[3000..<3080].contains { $0 >= detector.threshold })
        #expect(scores[1000..<3000].filter { $0 >= detector.threshold }.count <= 10)
    }
}
