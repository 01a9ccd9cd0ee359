import AuroraCore
@testable import AuroraDetection
import Foundation

/// Series builders and a block runner shared by the ML detector tests.
enum MLFixtures {
    /// A small LSTM for tests about bookkeeping rather than learning: debug builds run the vector code
    /// unoptimised, and hidden 8 keeps those tests to a second.
    static func smallLSTM() -> LSTMForecasterDetector {
        var configuration = LSTMForecasterConfiguration()
        configuration.hiddenSize = 8
        configuration.inputWindow = 4
        return (try? LSTMForecasterDetector(configuration: configuration)) ?? LSTMForecasterDetector()
    }

    /// Five-minute timestamps from a fixed start.
    static func timestamps(_ count: Int, start: Int64 = 1_700_000_000_000) -> [Int64] {
        (0..<count).map { start + Int64($0) * 300_000 }
    }

    /// A sine of the given period and amplitude with Gaussian noise of `noise` (seeded).
    static func sine(_ count: Int, period: Double, amplitude: Double = 1, noise: Double = 0, seed: UInt64 = 7) -> [Double] {
        var generator = Xoshiro256(seed: seed)
        return (0..<count).map { i in
            amplitude * sin(2 * .pi * Double(i) / period) + noise * generator.nextNormal()
        }
    }

    /// Gaussian noise around `level`.
    static func noise(_ count: Int, level: Double = 10, deviation: Double = 1, seed: UInt64 = 11) -> [Double] {
        var generator = Xoshiro256(seed: seed)
        return (0..<count).map { _ in level + deviation * generator.nextNormal() }
    }

    /// Scores values in one block.
    static func run<D: Detector>(_ detector: inout D, _ values: [Double], timestamps: [Int64]? = nil) -> [Double] {
        let times = timestamps ?? Self.timestamps(values.count)
        var scores = [Double](repeating: -1, count: values.count)
        times.withUnsafeBufferPointer { t in
            values.withUnsafeBufferPointer { v in
                scores.withUnsafeMutableBufferPointer { detector.score(timestamps: t, values: v, into: $0) }
            }
        }
        return scores
    }

    /// Scores values in the given block sizes, one call each, saving and restoring into a fresh detector
    /// between blocks when `restoring` is set.
    static func runInBlocks<D: Detector>(
        _ make: () throws -> D, _ values: [Double], cuts: [Int], restoring: Bool
    ) throws -> [Double] {
        let times = timestamps(values.count)
        var detector = try make()
        var scores: [Double] = []
        var start = 0
        for end in cuts + [values.count] {
            scores += run(&detector, Array(values[start..<end]), timestamps: Array(times[start..<end]))
            if restoring {
                let state = try detector.saveState()
                detector = try make()
                try detector.restoreState(state)
            }
            start = end
        }
        return scores
    }

    /// A reference rolling z-score over the previous `window` points: the statistic that cannot see a
    /// change of shape with the same mean and variance.
    static func rollingZ(_ values: [Double], window: Int) -> [Double] {
        var out = [Double](repeating: 0, count: values.count)
        for i in window..<values.count {
            let slice = values[(i - window)..<i]
            let mean = slice.reduce(0, +) / Double(window)
            let deviation = (slice.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(window)).squareRoot()
            out[i] = abs(values[i] - mean) / max(deviation, 1e-12)
        }
        return out
    }
}
