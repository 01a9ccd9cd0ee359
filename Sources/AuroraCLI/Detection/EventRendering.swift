import AuroraCore
import AuroraDetection
import AuroraOperations
import Foundation

/// Renders anomaly events for people (a table) and scripts (JSON, JSON lines).
enum EventRendering {
    static func json(_ event: AnomalyEvent) -> JSONValue {
        .object([
            ("series", .string(event.series.description)),
            ("service", .optional(event.service)),
            ("start", .time(Date(unixMilliseconds: event.start))),
            ("end", .time(Date(unixMilliseconds: event.end))),
            ("peak_time", .time(Date(unixMilliseconds: event.peakTimestamp))),
            ("peak_value", .number(event.peakValue)),
            ("expected_low", .number(event.expectedLow)),
            ("expected_high", .number(event.expectedHigh)),
            ("direction", .string(EventPresentation.direction(event))),
            ("score", .number(rounded(event.score))),
            ("confidence", event.confidence.map { .number(rounded($0)) } ?? .null),
            ("agreement", .number(rounded(event.agreement))),
            ("detectors", .array(event.detectors.map { .string($0) })),
            ("points", .integer(Int64(event.pointCount))),
            ("ongoing", .bool(event.ongoing)),
            ("history_points", event.historyPoints.map { .integer(Int64($0)) } ?? .null),
            ("short_history", .bool(event.shortHistory)),
        ])
    }

    static func rounded(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }

    /// The probability that the event is a fault, as a percentage; `rule` when only configured rules
    /// voted (their verdict is the operator's, not a fitted probability); `not fitted` when only an
    /// opt-in detector that votes alone (`stuck`, `drift`) did, whose events no model was fitted on.
    static func confidence(_ event: AnomalyEvent) -> String {
        if let confidence = event.confidence { return String(format: "%.0f%%", confidence * 100) }
        return event.severity == nil ? "not fitted" : "rule"
    }

    static func table(_ events: [AnomalyEvent], incidents: EventIncidents = EventIncidents(), series: [SeriesKey: Series]? = nil,
                      style: Style) -> String {
        var headers = ["SERIES", "DIRECTION", "START", "LASTED", "PEAK", "EXPECTED", "SCORE", "CONFIDENCE", "INCIDENT"]
        if series != nil { headers.append("SHAPE") }
        var table = TableRenderer(headers)
        for event in events {
            var row = [
                event.series.description,
                EventPresentation.direction(event),
                TimeText.iso(Date(unixMilliseconds: event.start)),
                EventPresentation.duration(event),
                short(event.peakValue),
                "\(short(event.expectedLow))…\(short(event.expectedHigh))",
                String(format: "%.2f", event.score),
                confidence(event),
                incidents.incident(of: event).map(String.init) ?? "-",
            ]
            if let series { row.append(EventPresentation.sparkline(event, series: series[event.series], mark: style.red)) }
            table.add(row)
        }
        return table.render(style: style)
    }

    static func short(_ value: Double) -> String {
        guard value.isFinite else { return value.description }
        if abs(value) >= 1e6 || (abs(value) < 1e-3 && value != 0) { return String(format: "%.3g", value) }
        return String(format: "%.6g", value)
    }
}
