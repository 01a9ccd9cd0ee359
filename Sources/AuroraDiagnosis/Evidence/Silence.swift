import AuroraCore

/// Series of one service that stopped reporting during an incident (what an absent-data event says),
/// with what their points say since.
///
/// There is no change to measure on a series that has no points: a silence is evidence of its own,
/// read as it is (which service, how many series, since when, whether they came back) rather than
/// ranked against the changes of series that kept reporting.
package struct Silence: Sendable, Equatable {
    /// The service whose series stopped.
    package var service: String
    /// How many of its series stopped.
    package var seriesCount: Int
    /// One of them, to name.
    package var example: SeriesKey
    /// Missing from the source's answers from this instant on, Unix milliseconds.
    package var since: Int64
    /// Their newest point before `since`, when one is stored.
    package var lastPoint: Int64?
    /// How many of them reported again after the last departure.
    package var returnedCount: Int
    /// The first point of the return, when some came back.
    package var returnedAt: Int64?

    /// Creates the value from its parts; counts below 1 (or above `seriesCount`, for the return) are clamped.
    package init(service: String, seriesCount: Int, example: SeriesKey, since: Int64, lastPoint: Int64? = nil,
                 returnedCount: Int = 0, returnedAt: Int64? = nil) {
        self.service = service
        self.seriesCount = max(seriesCount, 1)
        self.example = example
        self.since = since
        self.lastPoint = lastPoint
        self.returnedCount = min(max(returnedCount, 0), self.seriesCount)
        self.returnedAt = self.returnedCount > 0 ? returnedAt : nil
    }

    /// What happened, in one line: how many series, since when, and whether they came back.
    package var text: String {
        let count = seriesCount == 1 ? "its series \(example)" : "\(seriesCount) series (\(example) and \(seriesCount - 1) more)"
        let last = lastPoint.map { ", last point at \(Self.time($0))" } ?? ""
        let back: String
        switch (returnedCount, returnedAt) {
        case (0, _), (_, nil):
            back = seriesCount == 1 ? "it has not reported since" : "none has reported since"
        case (let returned, let at?) where returned == seriesCount:
            back = (seriesCount == 1 ? "reporting again" : "all reporting again") + " from \(Self.time(at))"
        case (let returned, let at?):
            back = "\(returned) reporting again from \(Self.time(at)), \(seriesCount - returned) still missing"
        }
        return "\(count) stopped reporting at \(Self.time(since))\(last); \(back)"
    }

    static func time(_ milliseconds: Int64) -> String { CivilTime.iso(milliseconds) }
}

extension Silence: Encodable {
    enum CodingKeys: String, CodingKey {
        case service, seriesCount, example, since, lastPoint, returnedCount, returnedAt
    }

    /// Writes the silence with its example series key as text.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(service, forKey: .service)
        try container.encode(seriesCount, forKey: .seriesCount)
        try container.encode(example.description, forKey: .example)
        try container.encode(since, forKey: .since)
        try container.encodeIfPresent(lastPoint, forKey: .lastPoint)
        try container.encode(returnedCount, forKey: .returnedCount)
        try container.encodeIfPresent(returnedAt, forKey: .returnedAt)
    }
}
