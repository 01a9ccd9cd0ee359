import Foundation

/// An alert as Alertmanager's API v2 takes and returns it (`postableAlert` / `gettableAlert`).
package struct Alert: Sendable, Equatable, Codable {
    /// Identity: Alertmanager groups, routes and de-duplicates on these.
    package var labels: [String: String]
    /// Free text for people: summary, description, …
    package var annotations: [String: String]
    /// When the problem started.
    package var startsAt: Date
    /// When the alert stops firing unless sent again; in the past, the alert is resolved.
    package var endsAt: Date
    /// A link back to the source (empty when there is none).
    package var generatorURL: String
    /// Alertmanager's fingerprint of the labels (answers only).
    package var fingerprint: String?
    /// Alertmanager's state of the alert (answers only): `active`, `suppressed`, `unprocessed`.
    package var state: String?

    /// Creates an alert.
    package init(labels: [String: String], annotations: [String: String] = [:], startsAt: Date, endsAt: Date,
                generatorURL: String = "", fingerprint: String? = nil, state: String? = nil) {
        self.labels = labels
        self.annotations = annotations
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.generatorURL = generatorURL
        self.fingerprint = fingerprint
        self.state = state
    }

    enum CodingKeys: String, CodingKey { case labels, annotations, startsAt, endsAt, generatorURL, fingerprint, status }
    enum StatusKeys: String, CodingKey { case state }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        labels = try container.decode([String: String].self, forKey: .labels)
        annotations = try container.decodeIfPresent([String: String].self, forKey: .annotations) ?? [:]
        startsAt = try AlertTime.decode(try container.decode(String.self, forKey: .startsAt))
        endsAt = try AlertTime.decode(try container.decodeIfPresent(String.self, forKey: .endsAt) ?? "0001-01-01T00:00:00Z")
        generatorURL = try container.decodeIfPresent(String.self, forKey: .generatorURL) ?? ""
        fingerprint = try container.decodeIfPresent(String.self, forKey: .fingerprint)
        state = try? container.nestedContainer(keyedBy: StatusKeys.self, forKey: .status).decode(String.self, forKey: .state)
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(labels, forKey: .labels)
        try container.encode(annotations, forKey: .annotations)
        try container.encode(AlertTime.encode(startsAt), forKey: .startsAt)
        try container.encode(AlertTime.encode(endsAt), forKey: .endsAt)
        if !generatorURL.isEmpty { try container.encode(generatorURL, forKey: .generatorURL) }
    }
}

/// RFC 3339 times with milliseconds, in UTC, as Alertmanager reads and writes them.
package enum AlertTime {
    /// Text for a date.
    package static func encode(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt))
    }

    /// A date from RFC 3339 text (fractional seconds of any length, `Z` or an offset).
    package static func decode(_ text: String) throws -> Date {
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
        if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
        // Go writes nanoseconds (`.123456789Z`); keep milliseconds.
        if let dot = text.firstIndex(of: "."), let zone = text[dot...].firstIndex(where: { $0 == "Z" || $0 == "+" || $0 == "-" }) {
            let fraction = text[text.index(after: dot)..<zone].prefix(3)
            let trimmed = String(text[..<dot]) + "." + fraction.padding(toLength: 3, withPad: "0", startingAt: 0) + text[zone...]
            if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(trimmed) { return date }
        }
        throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "\"\(text.prefix(40))\" is not an RFC 3339 time"))
    }
}
