import AuroraCore

/// A count that is zero most of the time (errors, restarts, crashes an hour): whole numbers, none
/// negative, at least half of them zero.
///
/// The seasonal member judges such a series badly: over half its residuals are the jitter of the
/// expected rate around zero, so its robust spread is a few hundredths and a count of 2 looks like a
/// dozen sigmas. It is not judged differently by default (calibrating sparse series as counts cost
/// the NAB corpus, whose sparse tweet counts have labelled bursts; docs/detection-experiments.md), so
/// the commands point the operator at the override that judges it by its standard deviation.
package enum SparseCount {
    /// Points needed before a share of zeros means anything.
    package static let minimumPoints = 30
    /// Zeros must be at least this share of the finite points: from half on, the median residual and
    /// the MAD describe the zeros alone.
    package static let minimumZeroShare = 0.5

    /// The share of zeros when `values` is a sparse count, else nil. Non-finite values (gaps) are left
    /// out; a negative or fractional value means it is not a count.
    package static func zeroShare(_ values: [Double]) -> Double? {
        var finite = 0
        var zeros = 0
        for value in values where value.isFinite {
            guard value >= 0, value == value.rounded(.towardZero) else { return nil }
            finite += 1
            if value == 0 { zeros += 1 }
        }
        guard finite >= minimumPoints else { return nil }
        let share = Double(zeros) / Double(finite)
        return share >= minimumZeroShare ? share : nil
    }
}
