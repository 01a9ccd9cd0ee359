import AuroraConfig
import AuroraCore
import AuroraStore
import AuroraTestSupport
import AuroraWatch
import Foundation
import Testing

/// `aurora watch --once` runs (cron) over a target that stops and comes back: the absent-data incident
/// stays open while its series are missing, and once they report again and stay quiet for
/// `diagnosis.recovered-after` the watcher resolves it and logs a `resolved` event saying it recovered
/// without action. `WatchAbsenceAcrossProcessesTests`' fake Prometheus (one-second points).
@Suite struct WatchQuietRecoveryTests {
    typealias Absence = WatchAbsenceAcrossProcessesTests

    static func once(_ folder: TemporaryDirectory, clock: FixedClock, transport: FakeHTTPTransport) async throws -> LogLines {
        let store = try Store(path: folder.file("a.db"))
        let lines = LogLines()
        let log = WatchLog(format: .json, clock: clock, write: { lines.append($0) })
        var options = WatchLoop.Options(once: true)
        options.catchUpRoundsPerPass = 100
        // A short period, so that a few runs cover it; longer than the incident gap, as config check wants.
        let configuration = try Absence.configuration(query: "m", more: """
              diagnosis:
                incident-gap: 5s
                recovered-after: 20s
            """)
        let loop = try WatchLoop(store: store, configuration: configuration, configurationPath: nil, loadConfiguration: { _ in configuration },
                                 environment: [:], workingDirectory: folder.path, clock: clock, transport: transport, options: options, log: log)
        let lease = LeaseKeeper(path: store.path, ttl: 60, clock: clock)
        _ = try lease.claim(in: store)
        #expect(await loop.run(lease: lease) == .stopped)
        return lines
    }

    static func incidents(_ folder: TemporaryDirectory) throws -> [IncidentRecord] {
        try Store(path: folder.file("a.db")).database.read { try IncidentStore.list(in: $0) }
    }

    @Test func aTargetThatCameBackAndStayedQuietIsResolvedAndLogged() async throws {
        let folder = try TemporaryDirectory("aurora-once-recovered")
        defer { folder.remove() }
        let t0 = Absence.start.unixMilliseconds
        // db's target is down from just after the first run for a minute.
        let back = t0 + 60_000
        let transport = Absence.server { $0 <= t0 || $0 >= back }
        let clock = FixedClock(Absence.start)
        _ = try await Self.once(folder, clock: clock, transport: transport)
        clock.advance(30)
        _ = try await Self.once(folder, clock: clock, transport: transport)
        let incident = try #require(try Self.incidents(folder).first, "the departure opened an incident")
        #expect(incident.status != .resolved)

        // Still gone: the rest of the fleet reporting normally does not make it recovered.
        clock.advance(25)
        let gone = try await Self.once(folder, clock: clock, transport: transport)
        #expect(gone.events("resolved").isEmpty, "\(gone.all)")
        #expect(try Self.incidents(folder).first { $0.id == incident.id }?.status != .resolved)

        // Back at t0 + 60 s; a few runs later it has been quiet for the period.
        var resolved: [String: Any]?
        for _ in 0..<6 where resolved == nil {
            clock.advance(15)
            let run = try await Self.once(folder, clock: clock, transport: transport)
            resolved = run.events("resolved").first
        }
        let line = try #require(resolved, "resolved within six runs after the return")
        #expect((line["msg"] as? String)?.hasPrefix("incident \(incident.id): recovered without action after 20s quiet") == true, "\(line)")
        #expect(clock.now().unixMilliseconds >= back + 20_000, "not before the period after the return")
        #expect(try Self.incidents(folder).first { $0.id == incident.id }?.status == .resolved)
    }
}
