import AuroraCore
import AuroraDiagnosis
import AuroraStore

/// The silences of a stored incident, read from its absent-data events and the stored points.
///
/// An absent-data event names one series for all those of its service that left one answer
/// (`AbsenceStore`); which they were is read back from the points: the series of that service that
/// reported in the history before the event began and have no point in the sampling step where it
/// began (the answer they were missing from starts there). A departure repeated later extends the same
/// event, and the series came back in between, so only that first step tells. Whether they came back
/// is read after the event's end (its latest departure).
enum IncidentSilences {
    /// Whether `event` is an absent-data event.
    static func isSilence(_ event: AnomalyRecord) -> Bool { event.detectors == AbsenceStore.detector }

    /// One silence per service among `events`' absent-data events. `loaded` holds the stored series with
    /// their points from at least `lookback` before the incident to its end.
    static func silences(of events: [AnomalyRecord], loaded: [(stored: StoredSeries, series: Series)], lookback: Int64,
                         in db: Database) throws -> [Silence] {
        var byService: [String: [(event: AnomalyRecord, silent: [Silent])]] = [:]
        var services: [String] = []
        for event in events where isSilence(event) {
            guard let key = SeriesKey(notation: event.seriesKey) else { continue }
            let service = event.service ?? SeriesIdentity(key).service
            if byService[service] == nil { services.append(service) }
            var silent = try Self.silent(in: loaded, service: event.service, since: event.start, until: event.end, lookback: lookback, in: db)
            if silent.isEmpty {
                // Nothing in the points says which (retention dropped them, or the event is not the live layer's):
                // the event's own series stands for the silence.
                silent = [Silent(key: key, lastPoint: nil, returnedAt: try Self.returned(key, after: event.end, loaded: loaded, in: db))]
            }
            byService[service, default: []].append((event, silent))
        }
        return services.compactMap { service -> Silence? in
            guard let entries = byService[service], let first = entries.min(by: { $0.event.start < $1.event.start }) else { return nil }
            // One series gone in two departures of the service counts once, with its latest return.
            var series: [SeriesKey: Silent] = [:]
            for entry in entries {
                for item in entry.silent { series[item.key] = item }
            }
            let returns = series.values.compactMap(\.returnedAt)
            return Silence(service: service, seriesCount: series.count, example: first.silent.map(\.key).min() ?? first.silent[0].key,
                           since: first.event.start, lastPoint: series.values.compactMap(\.lastPoint).max(),
                           returnedCount: returns.count, returnedAt: returns.min())
        }
    }

    /// One series that stopped: its last point before, and its first point after the departure.
    struct Silent {
        var key: SeriesKey
        var lastPoint: Int64?
        var returnedAt: Int64?
    }

    /// The series of `service` (the `service` label, nil for none) that reported within `lookback` before
    /// `since` and have no point in the step that starts there, with their return after `until`.
    static func silent(in loaded: [(stored: StoredSeries, series: Series)], service: String?, since: Int64, until: Int64,
                       lookback: Int64, in db: Database) throws -> [Silent] {
        var found: [Silent] = []
        for (stored, series) in loaded where stored.service == service {
            let timestamps = series.timestamps
            let before = timestamps.lastIndex { $0 < since }
            guard let before, timestamps[before] >= since - lookback else { continue }
            let step = max(stored.stepMilliseconds ?? 1, 1)
            if before + 1 < timestamps.count, timestamps[before + 1] < since + step { continue }
            let back = (stored.last ?? Int64.min) > until ? try SeriesStore.firstPoint(seriesID: stored.id, after: until, in: db) : nil
            found.append(Silent(key: stored.key, lastPoint: timestamps[before], returnedAt: back))
        }
        return found
    }

    /// When `key`'s series reported again after `time`, if it did.
    static func returned(_ key: SeriesKey, after time: Int64, loaded: [(stored: StoredSeries, series: Series)], in db: Database) throws -> Int64? {
        guard let stored = loaded.first(where: { $0.stored.key == key })?.stored, (stored.last ?? Int64.min) > time else { return nil }
        return try SeriesStore.firstPoint(seriesID: stored.id, after: time, in: db)
    }
}
