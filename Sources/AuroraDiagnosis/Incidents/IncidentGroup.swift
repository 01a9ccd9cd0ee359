import AuroraCore

/// Anomalies that overlap in time, taken as one incident. Which anomalies belong together is
/// `AuroraCore.IncidentGrouping`'s rule; this is the group as diagnosis reads it.
package struct IncidentGroup: Sendable, Equatable {
    /// Earliest anomaly start, Unix milliseconds.
    package var start: Int64
    /// Latest anomaly end, Unix milliseconds.
    package var end: Int64
    /// The anomalies, ordered by start then series key.
    package var observations: [AnomalyObservation]
    /// Services involved (`service` label or the name's prefix), sorted.
    package var services: [String]
    /// Series involved, sorted.
    package var seriesKeys: [SeriesKey]

    /// The group of `observations` (any order): its span, services and series follow from them.
    package init(observations: [AnomalyObservation]) {
        let ordered = observations.sorted { ($0.start, $0.key, $0.end) < ($1.start, $1.key, $1.end) }
        start = ordered.map(\.start).min() ?? 0
        end = ordered.map(\.end).max() ?? 0
        self.observations = ordered
        services = Set(ordered.map { SeriesIdentity($0.key).service }).sorted()
        seriesKeys = Set(ordered.map(\.key)).sorted()
    }
}
