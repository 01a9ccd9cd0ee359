import AuroraCore

/// Turns a stream of per-point verdicts into anomaly events: anomalous points separated by at most
/// `maximumGap` normal points belong to the same event.
struct EventCoalescer: Sendable, Equatable {
    /// Normal points tolerated inside one event, so a flapping signal gives one event, not ten.
    let maximumGap: Int

    private(set) var open = false
    private var start: Int64 = 0
    private var end: Int64 = 0
    private var peakTimestamp: Int64 = 0
    private var peakValue = 0.0
    private var peakScore = -1.0
    private var agreement = 0.0
    /// Highest statistical score on the event's anomalous points (what its confidence is fitted on).
    private var statisticalPeak = 0.0
    private var votes: UInt64 = 0
    private var expectedLow = 0.0
    private var expectedHigh = 0.0
    private var pointCount = 0
    private var normalSince = 0
    /// Points the ensemble had seen when the open event began.
    private var history = 0

    init(maximumGap: Int) { self.maximumGap = maximumGap }

    /// Feeds one point; returns true when an event just closed (read it with `closedEvent`).
    @inline(__always)
    mutating func feed(
        anomalous: Bool, timestamp: Int64, value: Double, score: Double, statistical: Double, agreement pointAgreement: Double,
        votes pointVotes: UInt64, expected: ExpectedRange, band: (low: Double, high: Double), history pointsSeen: Int
    ) -> Bool {
        if anomalous {
            if !open {
                open = true
                start = timestamp
                history = pointsSeen
                peakScore = -1
                agreement = 0
                statisticalPeak = 0
                votes = 0
                pointCount = 0
                // The member's band at this point where it has one (a seasonal series' range at this
                // hour), else the running range (a square root, only worked out when an event opens).
                (expectedLow, expectedHigh) = band.low.isFinite && band.high.isFinite ? band : expected.range
            }
            end = timestamp
            normalSince = 0
            pointCount += 1
            votes |= pointVotes
            agreement = max(agreement, pointAgreement)
            statisticalPeak = max(statisticalPeak, statistical)
            if score > peakScore {
                peakScore = score
                peakTimestamp = timestamp
                peakValue = value
            }
            return false
        }
        guard open else { return false }
        normalSince += 1
        if normalSince > maximumGap {
            open = false
            return true
        }
        return false
    }

    /// The event that `feed` reported closed, or the open one when `ongoing`.
    /// `memory`: the history, in points, below which the event counts as raised on a short history.
    func event(series: SeriesKey, members: [EnsembleMember], ongoing: Bool, memory: Int) -> AnomalyEvent {
        var names: [String] = []
        var severity: Severity?
        var service: String?
        var statisticalVote = false
        for (index, member) in members.enumerated() where index < 64 && votes & (1 << UInt64(index)) != 0 {
            names.append(member.name)
            statisticalVote = statisticalVote || !member.decisive
            if let rule = member.detector as? any Rule {
                if severity.map({ $0 < rule.identity.severity }) ?? true { severity = rule.identity.severity }
                if service == nil { service = rule.identity.service }
            }
        }
        return AnomalyEvent(
            series: series, start: start, end: end, peakTimestamp: peakTimestamp, peakValue: peakValue,
            expectedLow: expectedLow, expectedHigh: expectedHigh, score: max(0, peakScore), agreement: agreement,
            statisticalPeak: statisticalVote ? statisticalPeak : nil,
            detectors: names, severity: severity, service: service, pointCount: pointCount, ongoing: ongoing,
            historyPoints: history, shortHistory: statisticalVote && history < memory
        )
    }

    /// `withHistory`: the layout has the open event's history (ensemble state version 5 on);
    /// `withStatisticalPeak`: its peak statistical score (version 6 on).
    func write(to writer: inout StateWriter, withHistory: Bool, withStatisticalPeak: Bool) {
        writer.write(open)
        writer.write(start)
        writer.write(end)
        writer.write(peakTimestamp)
        writer.write(peakValue)
        writer.write(peakScore)
        writer.write(agreement)
        writer.write(Int64(bitPattern: votes))
        writer.write(expectedLow)
        writer.write(expectedHigh)
        writer.write(pointCount)
        writer.write(normalSince)
        if withHistory { writer.write(history) }
        if withStatisticalPeak { writer.write(statisticalPeak) }
    }

    /// An open event saved by a layout without its history began on a long one (`longHistory`); one
    /// saved without its statistical peak takes its peak score (the same unless a rule voted).
    static func read(from reader: inout StateReader, maximumGap: Int, withHistory: Bool, withStatisticalPeak: Bool,
                     longHistory: Int) throws -> EventCoalescer {
        var coalescer = EventCoalescer(maximumGap: maximumGap)
        coalescer.open = try reader.readBool()
        coalescer.start = try reader.readInt64()
        coalescer.end = try reader.readInt64()
        coalescer.peakTimestamp = try reader.readInt64()
        coalescer.peakValue = try reader.readDouble()
        coalescer.peakScore = try reader.readDouble()
        coalescer.agreement = try reader.readDouble()
        coalescer.votes = UInt64(bitPattern: try reader.readInt64())
        coalescer.expectedLow = try reader.readDouble()
        coalescer.expectedHigh = try reader.readDouble()
        coalescer.pointCount = try reader.readInt()
        coalescer.normalSince = try reader.readInt()
        coalescer.history = withHistory ? try reader.readInt() : longHistory
        guard coalescer.history >= 0 else { throw reader.inconsistent("its event history is negative") }
        coalescer.statisticalPeak = withStatisticalPeak ? try reader.readDouble() : max(0, coalescer.peakScore)
        return coalescer
    }
}
