import AuroraCore
import AuroraLive
import AuroraStore
import AuroraTestSupport
import Foundation
import Testing

/// A webhook alert groups with the loop's own rule: weak events still waiting for a stronger one stay
/// waiting instead of each opening an incident of its own.
@Suite struct WebhookIntakeTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func anAlertOpensItsIncidentAndLeavesWeakEventsWaiting() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let db = try Store(path: folder.file("w.db")).database
        let hour: Int64 = 3_600_000
        let key = SeriesKey(name: "latency_ms", labels: ["service": "checkout"])
        try db.write { db in
            // A series whose newest point is past a weak event: the event is over, too weak to open an incident.
            _ = try SeriesStore.store([Series(key: key, timestamps: [0, 10 * hour], values: [1, 1])], serviceLabel: "service", at: Self.now, in: db)
            try AnomalyEventStore.record([AnomalyRecord(seriesKey: key.description, service: "checkout", start: hour, end: hour + 60_000,
                                                        peakTime: hour, peakValue: 3, expectedLow: 1, expectedHigh: 2, score: 0.2,
                                                        detectors: "zscore", recorded: Self.now, source: "test")], in: db)
        }
        let alert = WebhookAlert(status: "firing", labels: ["alertname": "HighErrorRate", "service": "payments"],
                                 startsAt: "2027-01-15T08:00:00Z", fingerprint: "f00d")
        let outcome = try db.write {
            try WebhookIntake.apply(alert, serviceLabel: "service", grouping: IncidentGrouping(gap: 300_000, openingScore: 0.5), now: Self.now, in: $0)
        }
        guard case .opened(_, let service) = outcome else { Issue.record("\(outcome)"); return }
        #expect(service == "payments")
        #expect(try IncidentStore.list(in: db).count == 1)
    }
}
