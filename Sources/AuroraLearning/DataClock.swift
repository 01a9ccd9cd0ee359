/// Durations measured in the data's own time, so a dump analysed months after it was recorded reads
/// as it happened (issue 17: an MTTR of 333 days after a 20-second heal).
///
/// A resolution recorded on the wall clock is comparable with the data only while the data is live:
/// when it happened no later than `liveSlack` after the newest stored point. Otherwise the incident
/// was handled over a dump, and its recovery is evidenced in the data itself: its last anomalous point.
package enum DataClock {
    /// How far past the newest data point a wall-clock time may lie and still be "live" (ms): an hour,
    /// the baseline diagnosis compares against by default.
    package static let liveSlack: Int64 = 3_600_000

    /// When, in data time (ms), an incident that started at `start` and was last anomalous at
    /// `anomalyEnd` was resolved, given the wall-clock `resolved` and the newest stored point `dataEnd`.
    package static func resolution(start: Int64, anomalyEnd: Int64, resolved: Int64, dataEnd: Int64?) -> Int64 {
        if let dataEnd, resolved <= dataEnd + liveSlack { return max(start, resolved) }
        return max(start, anomalyEnd)
    }
}
