import AuroraCore
@testable import AuroraOperations
import AuroraStore
import AuroraTestSupport
import Foundation
import Testing

/// A watcher's first pass over a rebuilt database whose backfill holds a gap: the detectors must not
/// page for every series where the data resumes. Measured with a fake Prometheus of 1,000 and 10,000
/// such series (1 s step, a 10-minute gap whose first 5 minutes repeat the last value, as Prometheus'
/// look-back answers when it was itself down): about one series in eleven had a weak event right after
/// the gap (scores 0.32–0.38), none opened an incident; against a real Prometheus whose target was down
/// for 6 minutes (staleness: no samples at all), no event.
@Suite struct FirstPassOverAGapTests {
    static let end: Int64 = 1_795_000_000_000
    static let seriesCount = 60

    /// The live lab target's series `i<seed>` (`aurora-lab-target`), sampled every second for 20 minutes,
    /// with Prometheus' answer over a gap from 10 minutes before the end to 1 minute before it.
    static func series(_ seed: Int) -> Series {
        var series = Series(key: SeriesKey(name: "lab_scale_value", labels: ["service": "svc\(seed % 10)", "instance": "i\(seed)"]))
        let gapStart = end - 600_000
        let gapEnd = end - 60_000
        for time in stride(from: end - 1_200_000, through: end, by: 1_000) {
            // Look-back: the last sample before the gap, for five minutes; then nothing until the data resumes.
            if time >= gapStart && time < gapEnd && time >= gapStart + 300_000 { continue }
            let sampled = time >= gapStart && time < gapEnd ? gapStart - 1_000 : time
            let seconds = Double(sampled) / 1_000
            let wobble = 1 + 0.03 * sin(seconds * 0.7 + Double(seed)) + 0.02 * sin(seconds * 2.3 + Double(seed) * 1.7)
            series.append(timestamp: time, value: 10 * wobble)
        }
        return series
    }

    @Test func theFirstPassAfterAGapOpensNoIncidentAndFewWeakEvents() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let context = try StoredDetectionTests.context(folder)
        _ = try context.store.database.write {
            try SeriesStore.store((0..<Self.seriesCount).map(Self.series), serviceLabel: "service", at: Date(), recent: true, in: $0)
        }
        let outcome = try await StoredDetectionTests.detect(context)
        #expect(outcome.scoredSeries == Self.seriesCount)
        #expect(outcome.events.count <= Self.seriesCount / 4, "\(outcome.events.count) events")
        #expect(outcome.events.allSatisfy { $0.score < 0.5 })
        #expect(try context.store.database.read { try IncidentStore.list(in: $0) }.isEmpty)
    }
}
