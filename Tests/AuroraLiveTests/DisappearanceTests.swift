import AuroraCore
import AuroraLive
import AuroraPrometheus
import AuroraStore
import AuroraTestSupport
import Foundation
import Testing

/// A target whose series all stop answering at once (down, or its scrape timing out) is one absent-data
/// signal per service, not one event per series: measured against a real Prometheus, a target of 10,000
/// series that stopped twice within the incident gap made one incident of 20,000 events.
@Suite struct DisappearanceTests {
    static let start = Date(timeIntervalSince1970: 1_700_000_000)

    /// A Prometheus answering `series` (name → service, nil for none) at every step while `up` says so.
    static func server(_ series: [(name: String, service: String?)], up: @escaping @Sendable (Int64) -> Bool) -> FakeHTTPTransport {
        FakeHTTPTransport(answer: { request in
            let from = CatchUpTests.milliseconds(request, "start")
            let to = CatchUpTests.milliseconds(request, "end")
            let times = stride(from: from, through: to, by: Int(CatchUpTests.step)).filter(up)
            let values = times.map { "[\(Double($0) / 1000),\"1\"]" }.joined(separator: ",")
            let result: [String] = times.isEmpty ? [] : series.map { name, service in
                let labels = #""__name__":"m","id":"\#(name)""# + (service.map { #","service":"\#($0)""# } ?? "")
                return #"{"metric":{\#(labels)},"values":[\#(values)]}"#
            }
            let body = #"{"status":"success","data":{"resultType":"matrix","result":[\#(result.joined(separator: ","))]}}"#
            return .success(HTTPResponseData(status: 200, body: Array(body.utf8)))
        })
    }

    @Test func seriesLeavingOneAnswerTogetherAreOneEventPerServiceSayingHowMany() async throws {
        let folder = try TemporaryDirectory("aurora-absent")
        defer { folder.remove() }
        let store = try Store(path: folder.file("a.db"))
        // 300 series in three services and two without one; the target stops answering after the first pass.
        let series = (0..<300).map { (name: "s\($0)", service: Optional(["api", "db", "web"][$0 % 3])) } + [("x0", nil), ("x1", nil)]
        let t0 = Self.start.unixMilliseconds
        let transport = Self.server(series) { $0 <= t0 }
        var reader = try CatchUpTests.reader(transport, backfill: 5, budget: 1_000_000)
        let first = try await reader.pass(store: store, now: Self.start)
        #expect(first.disappeared.isEmpty)
        let gone = try await reader.pass(store: store, now: Self.start.addingTimeInterval(20))
        #expect(gone.disappeared.count == 302)
        #expect(gone.absences.map(\.service) == ["api", "db", "web", nil])
        #expect(gone.absences.map(\.series.count) == [100, 100, 100, 2])

        let events = try store.database.read { try AnomalyEventStore.events(in: $0) }
        #expect(events.count == 4)
        #expect(events.map(\.seriesKey).sorted() == [#"m{id="s0",service="api"}"#, #"m{id="s1",service="db"}"#,
                                                     #"m{id="s101",service="web"}"#, #"m{id="x0"}"#])
        #expect(Set(events.map(\.source)) == ["prometheus: 100 series of api disappeared", "prometheus: 100 series of db disappeared",
                                              "prometheus: 100 series of web disappeared", "prometheus: 2 series disappeared"])
        #expect(events.allSatisfy { $0.detectors == "absent" && $0.score == 1 && $0.end == t0 + 20_000 })
        #expect(gone.absences[0].summary == #"100 series of service api disappeared from the source's answers (m{id="s0",service="api"} and 99 more): one absent-data event"#)
        // The watcher's log: one line for the query, not one per service.
        #expect(Disappearance.summaries(of: gone.absences).map(\.text)
                == ["302 series of m disappeared from the source's answers, 4 services (api, db, web and 1 more): one absent-data event per service"])

        // Grouped as the watcher groups them: one incident naming every service, of four events.
        let grouping = IncidentGrouping(gap: 300_000, openingScore: 0.5)
        let opened = try store.database.write { try IncidentStore.groupUnassignedEvents(by: grouping, at: Self.start.addingTimeInterval(20), in: $0) }
        #expect(opened.count == 1)
        let incident = try store.database.read { try IncidentStore.get(opened[0], in: $0) }
        #expect(incident?.services == ["api", "db", "web"])
        #expect(try store.database.read { try AnomalyEventStore.events(incident: opened[0], in: $0) }.count == 4)
    }

    @Test func aTargetThatKeepsGoingAwayExtendsItsEventsWhileTheIncidentIsOpen() async throws {
        let folder = try TemporaryDirectory("aurora-absent")
        defer { folder.remove() }
        let store = try Store(path: folder.file("a.db"))
        let series = (0..<60).map { (name: "s\($0)", service: Optional(["api", "db"][$0 % 2])) }
        let t0 = Self.start.unixMilliseconds
        // Up for the first pass, down for 20 s, up for 20 s, down again, and so on.
        let transport = Self.server(series) { time in time <= t0 || (time - t0 - 1) / 20_000 % 2 == 1 }
        var reader = try CatchUpTests.reader(transport, backfill: 5, budget: 1_000_000)
        let grouping = IncidentGrouping(gap: 300_000, openingScore: 0.5)
        func pass(at seconds: Double) async throws -> LiveIngest.Outcome {
            let now = Self.start.addingTimeInterval(seconds)
            let outcome = try await reader.pass(store: store, now: now)
            _ = try store.database.write { try IncidentStore.groupUnassignedEvents(by: grouping, at: now, in: $0) }
            return outcome
        }
        func events() throws -> [AnomalyRecord] { try store.database.read { try AnomalyEventStore.events(in: $0) } }
        _ = try await pass(at: 0)
        #expect(try await pass(at: 20).absences.count == 2)
        #expect(try await pass(at: 40).absences.isEmpty)
        // Gone again: the same two events, extended, in the same incident; nothing new to group.
        #expect(try await pass(at: 60).disappeared.count == 60)
        #expect(try events().count == 2)
        #expect(try events().allSatisfy { $0.start == t0 + 1_000 && $0.end == t0 + 60_000 })
        let incidents = try store.database.read { try IncidentStore.list(in: $0) }
        #expect(incidents.count == 1)
        #expect(incidents.first?.end == t0 + 60_000)

        // Once resolved, the next departure is a new incident with events of its own.
        let id = try #require(incidents.first?.id)
        _ = try store.database.write { try IncidentStore.transition(id, from: [.open], to: .resolved, message: "resolved", at: Self.start, in: $0) }
        _ = try await pass(at: 80)
        _ = try await pass(at: 100)
        #expect(try events().count == 4)
        #expect(try store.database.read { try IncidentStore.list(in: $0) }.count == 2)

        // A departure later than the incident gap after the open incident ends is grouped apart, with events of its own.
        reader.incidentGap = 10_000
        let narrow = IncidentGrouping(gap: 10_000, openingScore: 0.5)
        for seconds in [120.0, 140] {
            let now = Self.start.addingTimeInterval(seconds)
            _ = try await reader.pass(store: store, now: now)
            _ = try store.database.write { try IncidentStore.groupUnassignedEvents(by: narrow, at: now, in: $0) }
        }
        #expect(try events().count == 6)
        #expect(try store.database.read { try IncidentStore.list(in: $0) }.count == 3)
    }

    @Test func oneSeriesLeavingIsRecordedForItselfAsBefore() {
        let key = SeriesKey(name: "m", labels: ["service": "api", "id": "s7"])
        let alone = Disappearance.group([key], query: "m", since: 5)
        #expect(alone.count == 1)
        #expect(alone[0].summary == #"series m{id="s7",service="api"} disappeared from the source's answers"#)
        #expect(Disappearance.summaries(of: alone).map(\.text) == [alone[0].summary])
        let record = alone[0].record(now: Date(unixMilliseconds: 9))
        #expect(record.seriesKey == key.description && record.service == "api" && record.start == 5 && record.end == 9)
        #expect(record.source == "prometheus: series disappeared")
    }
}
