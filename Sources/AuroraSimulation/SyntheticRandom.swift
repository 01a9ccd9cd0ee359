import AuroraCore
import Foundation

/// The generator's latest version tag (see `SyntheticGeneratorVersion`).
package let syntheticGeneratorVersion = SyntheticGeneratorVersion.latest.rawValue

/// A version of the generator. Its tag is part of every case seed, so a new version gives new cases;
/// an old version still generates its cases byte for byte, so figures measured on it can be redone.
package enum SyntheticGeneratorVersion: String, Sendable, CaseIterable, Equatable {
    /// The design of docs/rca-synthetic-benchmark.md.
    case v1 = "aurora-synth/1"
    /// v1 plus what the real Nezha cases showed: idle and quasi-constant series, host metrics shared by
    /// the services of a node, faint faults, faults that show only at the callers, and earlier faults
    /// in the reference window (docs/diagnosis-evaluation.md).
    case v2 = "aurora-synth/2"

    /// The version new splits are generated with.
    package static let latest = SyntheticGeneratorVersion.v2
}

/// A named, independent random stream for one purpose of one case (topology, workload, noise …).
///
/// Each purpose hashes its own name into the case seed, so drawing more numbers for one purpose
/// (say, a new confounder) never shifts the numbers another purpose sees.
struct SyntheticStream {
    private var generator: Xoshiro256

    /// The seed of case `index` under `masterSeed`, as the design fixes it.
    static func caseSeed(masterSeed: UInt64, index: Int, version: SyntheticGeneratorVersion = .v1) -> UInt64 {
        var mixer = SplitMix64(seed: masterSeed ^ fnv1a64(version.rawValue) ^ UInt64(truncatingIfNeeded: index))
        return mixer.next()
    }

    init(caseSeed: UInt64, purpose: String) {
        var mixer = SplitMix64(seed: caseSeed ^ fnv1a64(purpose))
        generator = Xoshiro256(seed: mixer.next())
    }

    /// Uniform in [low, high).
    mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * generator.nextUnit()
    }

    /// Uniform integer in low...high (both included).
    mutating func integer(_ low: Int, _ high: Int) -> Int {
        guard high > low else { return low }
        let span = UInt64(high - low + 1)
        return low + Int(generator.next() % span)
    }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { generator.nextUnit() < p }

    /// A standard normal draw.
    mutating func normal() -> Double { generator.nextNormal() }

    /// A Laplace draw with unit variance (heavy tails for some series).
    mutating func laplace() -> Double {
        let u = generator.nextUnit() - 0.5
        let magnitude = -log(max(1 - 2 * abs(u), 1e-300)) / 2.0.squareRoot()
        return u < 0 ? -magnitude : magnitude
    }

    /// A Beta(2, 2) draw: the median of three uniforms.
    mutating func beta22() -> Double {
        let a = generator.nextUnit(), b = generator.nextUnit(), c = generator.nextUnit()
        return max(min(a, b), min(max(a, b), c))
    }

    /// Log-uniform in [low, high).
    mutating func logUniform(_ low: Double, _ high: Double) -> Double {
        exp(uniform(log(low), log(high)))
    }

    /// A uniformly chosen index below `count` (0 when `count` is 0).
    mutating func pick(_ count: Int) -> Int { count <= 1 ? 0 : integer(0, count - 1) }

    /// An index below `weights.count`, chosen with probability proportional to its weight.
    mutating func weightedPick(_ weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        guard total > 0 else { return pick(weights.count) }
        var target = uniform(0, total)
        for (index, weight) in weights.enumerated() {
            target -= weight
            if target < 0 { return index }
        }
        return weights.count - 1
    }

    /// Fisher–Yates shuffle, in place.
    mutating func shuffle<T>(_ items: inout [T]) {
        guard items.count > 1 else { return }
        for i in stride(from: items.count - 1, to: 0, by: -1) {
            let j = integer(0, i)
            items.swapAt(i, j)
        }
    }
}
