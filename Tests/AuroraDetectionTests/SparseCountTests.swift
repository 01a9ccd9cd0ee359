import AuroraCore
import Testing
@testable import AuroraDetection

/// What counts as a sparse count: whole numbers, none negative, at least half zeros, enough points.
struct SparseCountTests {
    @Test func anErrorCountThatIsMostlyZeroIsOne() throws {
        var generator = Xoshiro256(seed: 7)
        // Poisson at 0.2 a point: about 82 % zeros.
        let values = (0..<2_000).map { _ in generator.nextPoisson(mean: 0.2) }
        let share = try #require(SparseCount.zeroShare(values))
        #expect(share > 0.75 && share < 0.9, "\(share)")
    }

    @Test func gapsAreLeftOutAndHalfZerosIsEnough() {
        let values = (0..<40).map { $0 % 2 == 0 ? 0.0 : 3.0 } + [.nan, .infinity]
        #expect(SparseCount.zeroShare(values) == 0.5)
    }

    @Test(arguments: [
        ("fractional", (0..<100).map { $0 % 4 == 0 ? 0.5 : 0 }),
        ("negative", (0..<100).map { $0 % 4 == 0 ? -1 : 0 }),
        ("mostly non-zero", (0..<100).map { $0 % 4 == 0 ? 0 : 2 }),
        ("too short", [Double](repeating: 0, count: 29)),
        ("a gauge", (0..<100).map { 50 + Double($0 % 7) }),
    ] as [(String, [Double])])
    func otherSeriesAreNot(name: String, values: [Double]) {
        #expect(SparseCount.zeroShare(values) == nil, "\(name)")
    }
}
