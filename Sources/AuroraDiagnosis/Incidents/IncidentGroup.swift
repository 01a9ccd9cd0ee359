import AuroraCore

/// Anomalies that overlap in time, taken as one incident.
public struct IncidentGroup: Sendable, Equatable {
    /// Earliest anomaly start, Unix milliseconds.
    public var start: Int64
    /// Latest anomaly end, Unix milliseconds.
    public var end: Int64
    /// The anomalies, ordered by start then series key.
    public var observations: [AnomalyObservation]
    /// Services involved (`service` label or the name's prefix), sorted.
    public var services: [String]
    /// Series involved, sorted.
    public var seriesKeys: [SeriesKey]
}
