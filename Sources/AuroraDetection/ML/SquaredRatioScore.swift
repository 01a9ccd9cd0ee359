/// Maps a deviation `d ≥ 0`, measured in units where `scale` is the verdict bar, to `d²/(d² + scale²)`:
/// exactly 0.5 at the bar, the convention the statistical detectors and the ensemble voter share (the
/// voter reads a member's deviation back as `√(s/(1 − s))`). Unlike a logistic or a tail probability
/// it keeps ranking very large deviations, which threshold sweeps need.
@inline(__always)
func squaredRatioScore(_ deviation: Double, scale: Double) -> Double {
    guard deviation > 0 else { return 0 }
    guard deviation.isFinite else { return 1 }
    let ratio = deviation / scale
    let squared = ratio * ratio
    guard squared.isFinite else { return 1 }
    return squared / (squared + 1)
}
