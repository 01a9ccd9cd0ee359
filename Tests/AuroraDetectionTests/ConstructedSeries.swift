import AuroraCore
import Foundation
import AuroraDetection

/// Deterministic series with known anomalies, 5-minute sampling from 2024-01-01 00:00 UTC.
enum ConstructedSeries {
    static let start: Int64 = 1_704_067_200_000
    static let step: Int64 = 300_000
    static let pointsPerDay = 288

    static func timestamps(_ count: Int) -> [Int64] { (0..<count).map { start + Int64($0) * step } }

    /// Gaussian noise around 100 with standard deviation 1.
    static func noise(_ count: Int, seed: UInt64 = 7) -> [Double] {
        var generator = Xoshiro256(seed: seed)
        return (0..<count).map { _ in 100 + generator.nextNormal() }
    }

    static func spike(at index: Int, count: Int = 3_000, height: Double = 25) -> [Double] {
        var values = noise(count)
        values[index] += height
        return values
    }

    static func levelShift(at index: Int, count: Int = 3_000, by shift: Double = 15) -> [Double] {
        var values = noise(count)
        for position in index..<count { values[position] += shift }
        return values
    }

    /// A slow drift: +3 standard deviations over the whole series.
    static func slowDrift(count: Int = 3_000) -> [Double] {
        noise(count).enumerated().map { $0.element + 3 * Double($0.offset) / Double(count) }
    }

    /// A daily sine (amplitude 20) with noise over `days` days; day `brokenDay` is stuck at the mean.
    static func seasonal(days: Int = 12, brokenDay: Int? = 9) -> [Double] {
        let count = days * pointsPerDay
        let base = noise(count)
        return (0..<count).map { index in
            let day = index / pointsPerDay
            if day == brokenDay { return 100 }
            return base[index] + 20 * sin(2 * Double.pi * Double(index % pointsPerDay) / Double(pointsPerDay))
        }
    }

    /// Scores a whole series with a fresh detector of the given name (default settings).
    static func scores(_ name: String, _ values: [Double], timestamps: [Int64]? = nil) throws -> [Double] {
        var detector = try DetectorRegistry.standard.make(name, settings: DetectionSettings())
        return score(&detector, timestamps ?? Self.timestamps(values.count), values)
    }

    static func score(_ detector: inout any Detector, _ timestamps: [Int64], _ values: [Double]) -> [Double] {
        var output = [Double](repeating: -1, count: values.count)
        timestamps.withUnsafeBufferPointer { times in
            values.withUnsafeBufferPointer { values in
                output.withUnsafeMutableBufferPointer { detector.score(timestamps: times, values: values, into: $0) }
            }
        }
        return output
    }

    /// A detector scored in one run, and in two: saved after `cut` points and restored into a fresh one
    /// for the rest. Scores and final states must be the same bits.
    static func oneRunAndTwoHalves(_ name: String, _ values: [Double], cut: Int) throws
        -> (whole: [Double], halves: [Double], wholeState: [UInt8], halvesState: [UInt8]) {
        let timestamps = Self.timestamps(values.count)
        let make = { try DetectorRegistry.standard.make(name, settings: DetectionSettings()) }
        var once = try make()
        let whole = score(&once, timestamps, values)
        var first = try make()
        let head = score(&first, Array(timestamps[..<cut]), Array(values[..<cut]))
        var second = try make()
        try second.restoreState(try first.saveState())
        let tail = score(&second, Array(timestamps[cut...]), Array(values[cut...]))
        return (whole, head + tail, try once.saveState(), try second.saveState())
    }

    /// Hostile input: timestamps at the extremes, out of order and repeated; infinities, NaN, the largest
    /// finite values and negative zero among small integers, then a long stretch of 1e308.
    static func hostile(count: Int = 2_000) -> (timestamps: [Int64], values: [Double]) {
        var timestamps: [Int64] = [.min, .max, 0, -5, .min, 7, .max, 7]
        var values: [Double] = [.infinity, -.infinity, 1e308, .nan, -1e308, 0, 5, .nan]
        let awkward: [Double] = [.infinity, -.infinity, .nan, .greatestFiniteMagnitude, -0.0, 0]
        for index in 0..<count {
            timestamps.append(index % 3 == 0 ? .max - Int64(index) : Int64(index) * 1_000)
            values.append(index > 1_500 ? 1e308 : index % 5 == 0 ? awkward[index % awkward.count] : Double(index % 7))
        }
        return (timestamps, values)
    }

    /// Indices whose score reaches the threshold.
    static func flagged(_ scores: [Double], threshold: Double = 0.5, in range: Range<Int>? = nil) -> [Int] {
        (range ?? 0..<scores.count).filter { scores[$0] >= threshold }
    }
}
