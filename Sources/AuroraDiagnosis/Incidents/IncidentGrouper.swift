import AuroraCore

/// Groups anomalies into incidents: two anomalies belong together when the later one starts no more
/// than `gap` after everything grouped so far has ended.
public struct IncidentGrouper: Sendable {
    /// Largest quiet time inside one incident, milliseconds.
    public var gap: Int64

    /// `gap` in milliseconds (for example 300 000 for five minutes).
    public init(gap: Int64 = 300_000) {
        self.gap = max(0, gap)
    }

    /// The incidents, oldest first. Deterministic: the input order does not matter.
    public func group(_ observations: [AnomalyObservation]) -> [IncidentGroup] {
        let ordered = observations.sorted { ($0.start, $0.key, $0.end) < ($1.start, $1.key, $1.end) }
        var groups: [IncidentGroup] = []
        var current: [AnomalyObservation] = []
        var currentEnd = Int64.min
        for observation in ordered {
            if !current.isEmpty, observation.start > currentEnd.addingReportingOverflow(gap).partialValue {
                groups.append(Self.finish(current))
                current = []
            }
            current.append(observation)
            currentEnd = current.count == 1 ? observation.end : max(currentEnd, observation.end)
        }
        if !current.isEmpty { groups.append(Self.finish(current)) }
        return groups
    }

    private static func finish(_ observations: [AnomalyObservation]) -> IncidentGroup {
        let services = Set(observations.map { SeriesIdentity($0.key).service })
        let keys = Set(observations.map(\.key))
        return IncidentGroup(
            start: observations.map(\.start).min() ?? 0,
            end: observations.map(\.end).max() ?? 0,
            observations: observations,
            services: services.sorted(),
            seriesKeys: keys.sorted())
    }
}
