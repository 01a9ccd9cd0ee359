import AuroraCore

/// The gap rule for scoring rows kept in file order: a row whose value is not finite (NaN, ±∞) is a
/// gap, and detectors see it as the last finite value before it (0 before the first finite value).
///
/// Detectors need finite input, yet `--emit scores` and evaluation must score every input row so the
/// output lines up with the file; carrying the last value forward adds no deviation of its own.
/// The rule is streaming: a `GapFill` remembers the last finite value across blocks of one series,
/// so scoring a file in blocks gives what scoring it whole gives.
package struct GapFill: Sendable {
    /// The value a gap becomes: the last finite value seen so far.
    package private(set) var lastFinite: Double

    /// A fill at the start of a series.
    package init() {
        lastFinite = 0
    }

    /// Whether `values` has no gap; remembers its last value when so (the next block's gaps take it).
    package mutating func isGapFree(_ values: UnsafeBufferPointer<Double>) -> Bool {
        for value in values where !value.isFinite { return false }
        if let last = values.last { lastFinite = last }
        return true
    }

    /// Copies `values` into `filled` (at least as long), gaps replaced by the last finite value.
    package mutating func fill(_ values: UnsafeBufferPointer<Double>, into filled: UnsafeMutableBufferPointer<Double>) {
        precondition(filled.count >= values.count, "GapFill.fill: the output is shorter than the input")
        for index in values.indices {
            if values[index].isFinite { lastFinite = values[index] }
            filled[index] = lastFinite
        }
    }

    /// `series` with its gaps filled (the same series when it has none).
    package static func filled(_ series: Series) -> Series {
        guard series.values.contains(where: { !$0.isFinite }) else { return series }
        var copy = series
        var gaps = GapFill()
        series.values.withUnsafeBufferPointer { values in
            copy.values.withUnsafeMutableBufferPointer { gaps.fill(values, into: $0) }
        }
        return copy
    }
}
