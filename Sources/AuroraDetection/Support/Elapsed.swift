/// `later − earlier` in milliseconds, saturating instead of trapping: timestamps come from input
/// files, and a corrupt one (near Int64.min or max) must not crash a run.
@inline(__always)
func elapsed(_ later: Int64, since earlier: Int64) -> Int64 {
    let (difference, overflow) = later.subtractingReportingOverflow(earlier)
    if !overflow { return difference }
    return later > earlier ? .max : .min
}
