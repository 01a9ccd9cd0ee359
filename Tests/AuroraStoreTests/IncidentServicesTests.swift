import AuroraCore
import AuroraStore
import AuroraTestSupport
import Foundation
import Testing

/// An incident's services live in one text column: a service whose name holds a comma (or a
/// backslash) is still one service after grouping and reading back, and older rows read as before.
@Suite struct IncidentServicesTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func event(_ service: String, at start: Int64) -> AnomalyRecord {
        AnomalyRecord(seriesKey: "latency_ms{service=\"\(service)\"}", service: service, start: start, end: start + 60_000,
                      peakTime: start + 30_000, peakValue: 900, expectedLow: 100, expectedHigh: 200, score: 0.9,
                      detectors: "zscore", recorded: now, source: "test")
    }

    @Test func aNameHoldingACommaStaysOneService() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let db = try Store(path: folder.file("i.db")).database
        let names = ["eu-west,checkout", #"C:\payments"#, "postgres"]
        let id = try db.write { db in
            try AnomalyEventStore.record(names.enumerated().map { Self.event($1, at: Int64($0) * 10_000) }, in: db)
            return try #require(IncidentStore.groupUnassignedEvents(by: IncidentGrouping(gap: 300_000), at: Self.now, in: db).first)
        }
        #expect(try IncidentStore.get(id, in: db)?.services == names.sorted())
        #expect(try IncidentStore.list(in: db).first?.services == names.sorted())
        // A later event of the same comma-holding service joins without adding "eu-west" or "checkout".
        try db.write { db in
            try AnomalyEventStore.record([Self.event("eu-west,checkout", at: 40_000)], in: db)
            _ = try IncidentStore.groupUnassignedEvents(by: IncidentGrouping(gap: 300_000), at: Self.now, in: db)
        }
        #expect(try IncidentStore.get(id, in: db)?.services == names.sorted())
    }

    @Test func theColumnRoundTripsAndReadsOlderRowsAsBefore() {
        for services in [[], ["a"], ["a", "b"], ["a,b", "c"], [#"x\y"#, #"\,"#, ",", ""], [#"trailing\"#]] {
            #expect(ServiceListColumn.decode(ServiceListColumn.encode(services)) == (services == [] ? [] : services), "\(services)")
        }
        // Names without commas or backslashes are written exactly as older versions wrote them.
        #expect(ServiceListColumn.encode(["checkout", "postgres"]) == "checkout,postgres")
        // An older row with a backslash before another character keeps it.
        #expect(ServiceListColumn.decode(#"C:\tmp,b"#) == [#"C:\tmp"#, "b"])
    }
}
