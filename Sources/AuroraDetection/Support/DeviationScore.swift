/// Maps a deviation measured in scale units (sigmas, MADs, band widths) to a score in [0, 1].
///
/// `d² / (d² + k²)` is 0.5 exactly at `d = k`, so a detector's `sigmas` parameter is also the deviation
/// its default verdict threshold of 0.5 stands for. Unlike a Gaussian tail probability it keeps
/// ranking very large deviations (10σ vs 100σ), which the ensemble and threshold sweeps need.
@inline(__always)
func deviationScore(_ deviation: Double, scale: Double) -> Double {
    let squared = deviation * deviation
    let score = 1 - (scale * scale) / (squared + scale * scale)
    // An infinite deviation gives 1; NaN never escapes into the output.
    return score.isNaN ? 0 : score
}

/// Divides a deviation by a scale that may be zero: no deviation over no spread is 0, any deviation
/// over no spread is infinite (a constant series that changes is as anomalous as it gets).
@inline(__always)
func standardised(_ deviation: Double, by scale: Double) -> Double {
    if deviation == 0 { return 0 }
    if scale > 0 { return deviation / scale }
    return .infinity
}
