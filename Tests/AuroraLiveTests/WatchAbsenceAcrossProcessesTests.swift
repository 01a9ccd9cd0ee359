import AuroraConfig
import AuroraCore
import AuroraStore
import AuroraTestSupport
import AuroraWatch
import Foundation
import Testing

/// The absent-data baseline survives the process: `aurora watch --once` runs (cron) report a target
/// that stopped between two of them, once; an edited query reports nothing; a restarted watcher reports
/// a target that died while it was down. Each run is a new `WatchLoop` with its own connection to one
/// database, against a fake Prometheus.
@Suite struct WatchAbsenceAcrossProcessesTests {
    static let start = Date(timeIntervalSince1970: 1_700_000_000)
    static let step: Int64 = 1_000

    /// Five series of `api`, five of `db`. The query `m` answers all of them, any other query only api's;
    /// db's target answers at the steps where `dbUp` says so.
    static func server(dbUp: @escaping @Sendable (Int64) -> Bool) -> FakeHTTPTransport {
        FakeHTTPTransport(answer: { request in
            let from = CatchUpTests.milliseconds(request, "start")
            let to = CatchUpTests.milliseconds(request, "end")
            let all = field(request, "query") == "m"
            let result = (0..<10).compactMap { index -> String? in
                let service = index < 5 ? "api" : "db"
                guard all || service == "api" else { return nil }
                let times = stride(from: from, through: to, by: Int(step)).filter { service == "api" || dbUp($0) }
                guard !times.isEmpty else { return nil }
                let values = times.map { "[\(Double($0) / 1000),\"1\"]" }.joined(separator: ",")
                return #"{"metric":{"__name__":"m","id":"s\#(index)","service":"\#(service)"},"values":[\#(values)]}"#
            }
            let body = #"{"status":"success","data":{"resultType":"matrix","result":[\#(result.joined(separator: ","))]}}"#
            return .success(HTTPResponseData(status: 200, body: Array(body.utf8)))
        })
    }

    /// A form field of a request, decoded.
    static func field(_ request: HTTPRequestData, _ name: String) -> String? {
        let body = String(decoding: request.body ?? [], as: UTF8.self)
        return body.split(separator: "&").first { $0.hasPrefix(name + "=") }
            .flatMap { String($0.dropFirst(name.count + 1)).replacingOccurrences(of: "+", with: " ").removingPercentEncoding }
    }

    /// The fake Prometheus as the one source with one query; `more` is YAML added under `aurora:` (two
    /// spaces in), for the other tests of watch runs against this server.
    static func configuration(query: String, interval: String = "15s", backfill: String = "10s", more: String = "") throws -> Configuration {
        try ConfigLoader.load(yaml: """
            aurora:
              sources:
                prometheus:
                  url: http://prom.example
                  step: 1s
                  queries:
                    - query: '\(query)'
              watch:
                backfill: \(backfill)
                interval: \(interval)
            \(more)
            """, file: "aurora.yaml")
    }

    /// A watcher in a process of its own: a new connection to the database, a new loop, a new lease.
    static func watcher(_ folder: TemporaryDirectory, query: String = "m", once: Bool, interval: String = "15s", clock: FixedClock,
                        transport: FakeHTTPTransport, roundsPerPass: Int = 100) throws -> (loop: WatchLoop, lease: LeaseKeeper, store: Store, log: LogLines) {
        let store = try Store(path: folder.file("a.db"))
        let lines = LogLines()
        let log = WatchLog(format: .json, clock: clock, write: { lines.append($0) })
        var options = WatchLoop.Options(once: once)
        options.catchUpPointBudget = 50
        options.catchUpRoundsPerPass = roundsPerPass
        let configuration = try configuration(query: query, interval: interval)
        let loop = try WatchLoop(store: store, configuration: configuration, configurationPath: nil, loadConfiguration: { _ in configuration },
                                 environment: [:], workingDirectory: folder.path, clock: clock, transport: transport, options: options, log: log)
        let lease = LeaseKeeper(path: store.path, ttl: 60, clock: clock)
        _ = try lease.claim(in: store)
        return (loop, lease, store, lines)
    }

    /// One `aurora watch --once`: its log's lines.
    static func once(_ folder: TemporaryDirectory, query: String = "m", clock: FixedClock, transport: FakeHTTPTransport) async throws -> LogLines {
        let run = try watcher(folder, query: query, once: true, clock: clock, transport: transport)
        #expect(await run.loop.run(lease: run.lease) == .stopped)
        return run.log
    }

    static func absentEvents(_ folder: TemporaryDirectory) throws -> [AnomalyRecord] {
        try Store(path: folder.file("a.db")).database.read { try AnomalyEventStore.events(in: $0) }.filter { $0.detectors == AbsenceStore.detector }
    }

    @Test func consecutiveOnceRunsReportATargetThatStoppedBetweenThemOnce() async throws {
        let folder = try TemporaryDirectory("aurora-once-absent")
        defer { folder.remove() }
        let t0 = Self.start.unixMilliseconds
        // db's target stops right after the first run.
        let transport = Self.server { $0 <= t0 }
        let clock = FixedClock(Self.start)
        let first = try await Self.once(folder, clock: clock, transport: transport)
        #expect(first.events("absent").isEmpty && first.events("pass").first?["series"] as? Int == 10)

        clock.advance(30)
        let second = try await Self.once(folder, clock: clock, transport: transport)
        let line = try #require(second.events("absent").first, "\(second.all)")
        #expect(line["msg"] as? String == #"5 series of service db disappeared from the source's answers (m{id="s5",service="db"} and 4 more): one absent-data event"#)
        var events = try Self.absentEvents(folder)
        #expect(events.count == 1)
        #expect(events.first?.service == "db" && events.first?.source == "prometheus: 5 series of db disappeared")
        #expect(events.first?.start == t0 + Self.step, "missing since the step after the first run's answer")
        #expect(events.first?.end == t0 + 30_000)

        // Still missing at the third run: the second recorded them, and they are gone from the baseline.
        clock.advance(30)
        let third = try await Self.once(folder, clock: clock, transport: transport)
        #expect(third.events("absent").isEmpty, "\(third.all)")
        events = try Self.absentEvents(folder)
        #expect(events.count == 1 && events.first?.end == t0 + 30_000, "nothing new, nothing extended")
    }

    @Test func anEditedQueryReportsNothingAndTheOldQuerysBaselineIsForgotten() async throws {
        let folder = try TemporaryDirectory("aurora-once-edited")
        defer { folder.remove() }
        let transport = Self.server { _ in true }
        let clock = FixedClock(Self.start)
        _ = try await Self.once(folder, clock: clock, transport: transport)
        // The query is narrowed to api's series: db's are no longer in its answer, and did not stop.
        clock.advance(30)
        let edited = #"m{service="api"}"#
        let second = try await Self.once(folder, query: edited, clock: clock, transport: transport)
        #expect(second.events("absent").isEmpty, "\(second.all)")
        #expect(try Self.absentEvents(folder).isEmpty)
        let store = try Store(path: folder.file("a.db"))
        #expect(try store.database.read { try PresenceBaselineStore.baseline(query: "m", in: $0) } == nil)
        #expect(try store.database.read { try PresenceBaselineStore.baseline(query: edited, in: $0) }?.series.count == 5)
    }

    @Test func aRestartedWatcherReportsATargetThatDiedWhileItWasDown() async throws {
        let folder = try TemporaryDirectory("aurora-restart-absent")
        defer { folder.remove() }
        let t0 = Self.start.unixMilliseconds
        // db's target dies when the first watcher stops.
        let transport = Self.server { $0 <= t0 }
        let clock = FixedClock(Self.start)
        let first = try Self.watcher(folder, once: false, interval: "1s", clock: clock, transport: transport)
        let (firstLoop, firstLease) = (first.loop, first.lease)
        let running = Task { await firstLoop.run(lease: firstLease) }
        try await first.log.waitFor("the first watcher's pass") { !$0.events("pass").isEmpty }
        first.loop.requestStop(signal: SIGTERM)
        #expect(await running.value == .stopped)

        // Two minutes later a new watcher starts: its catch-up takes several passes (10 rounds of 5 steps each).
        clock.advance(120)
        let second = try Self.watcher(folder, once: false, interval: "1s", clock: clock, transport: transport, roundsPerPass: 10)
        let (secondLoop, secondLease) = (second.loop, second.lease)
        let restarted = Task { await secondLoop.run(lease: secondLease) }
        try await second.log.waitFor("the disappearance") { !$0.events("absent").isEmpty }
        second.loop.requestStop(signal: SIGTERM)
        #expect(await restarted.value == .stopped)
        #expect(second.log.events("source").contains { ($0["msg"] as? String)?.hasPrefix("catching up") == true },
                "the catch-up spanned passes: \(second.log.all)")
        let events = try Self.absentEvents(folder)
        #expect(events.count == 1 && events.first?.service == "db")
        #expect(events.first?.start == t0 + Self.step && events.first?.end == t0 + 120_000)
    }
}

/// Lines a log wrote, collected across threads.
final class LogLines: @unchecked Sendable {
    // Unchecked: every access holds `lock`.
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }

    /// The JSON lines of one event.
    func events(_ name: String) -> [[String: Any]] {
        all.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }.filter { $0["event"] as? String == name }
    }

    /// Waits (at most a minute) until `condition` holds.
    func waitFor(_ what: String, _ condition: (LogLines) -> Bool) async throws {
        let deadline = Date().addingTimeInterval(60)
        while !condition(self) {
            guard Date() < deadline else { throw SimpleFailure(.software, "timed out waiting for \(what): \(all)") }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
    }
}
