import AuroraCore
import AuroraDetection
import AuroraOperations
import AuroraStore
import Foundation

/// Anomaly events for people: direction, duration, sparkline, the summary line.
enum EventPresentation {
    /// The events to report and record, and how many were set aside (see `EventBounds`).
    static func prepare(_ events: [AnomalyEvent], series: [Series]) -> (events: [AnomalyEvent], setAside: Int) {
        EventBounds.prepare(events, series: series)
    }

    /// Which way the series went (see `EventBounds.direction`).
    static func direction(_ event: AnomalyEvent) -> String {
        EventBounds.direction(peak: event.peakValue, expectedLow: event.expectedLow, expectedHigh: event.expectedHigh,
                              detectors: event.detectors)
    }

    /// How long the event lasted, in the data's own time: `12m`, or `1 point` for a single one.
    static func duration(_ event: AnomalyEvent) -> String {
        if event.ongoing { return "ongoing" }
        if event.end <= event.start { return "1 point" }
        return DurationText.format(Double(event.end - event.start) / 1000)
    }

    /// A sparkline of the event's series around it (the baseline before, the event, the recovery
    /// after), the event's own points marked.
    static func sparkline(_ event: AnomalyEvent, series: Series?, width: Int = 24, mark: (String) -> String) -> String {
        guard let series, !series.timestamps.isEmpty else { return "" }
        let timestamps = series.timestamps
        guard let first = timestamps.firstIndex(where: { $0 >= event.start }) else { return "" }
        let last = timestamps.lastIndex(where: { $0 <= event.end }) ?? first
        let span = max(last - first + 1, width / 3)
        let from = max(0, first - span), to = min(timestamps.count, last + 1 + span)
        let values = Array(series.values[from..<to])
        return Sparkline.render(values, width: width, highlight: (first - from)..<(last - from + 1), mark: mark)
    }

    /// "9 events → incident 1 (4 services); next: aurora diagnose".
    static func summary(events: [AnomalyEvent], incidents: EventIncidents, setAside: Int) -> String {
        var text = summary(events: events, incidents: incidents.services, setAside: 0)
        let alone = events.filter { incidents.incident(of: $0) == nil }.count
        if alone > 0 && incidents.recorded {
            text += "; " + Plural.count(alone, "weaker event") + " opened no incident (score below diagnosis.incident-min-score)"
        }
        if setAside > 0 {
            text += "; \(setAside) more set aside (peak within the expected range)"
        }
        return text
    }

    static func summary(events: [AnomalyEvent], incidents: [Int64: Set<String>], setAside: Int) -> String {
        let count = events.count == 1 ? "1 event" : "\(events.count) events"
        var text = count
        let ids = incidents.keys.sorted()
        let services = incidents.values.reduce(into: Set<String>()) { $0.formUnion($1) }
        let serviceText = services.isEmpty ? "service unknown" : services.count == 1 ? "1 service" : "\(services.count) services"
        if ids.count == 1 {
            text += " → incident \(ids[0]) (\(serviceText)); next: aurora diagnose"
        } else if let low = ids.first, let high = ids.last {
            let list = ids.count <= 4 ? ids.map(String.init).joined(separator: ", ") : "\(low)…\(high)"
            text += " → \(ids.count) incidents (\(list); \(serviceText)); next: aurora incidents list, then aurora diagnose ID"
        }
        if setAside > 0 {
            text += "; \(setAside) more set aside (peak within the expected range)"
        }
        return text
    }
}
