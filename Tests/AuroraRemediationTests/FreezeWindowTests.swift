import AuroraRemediation
import Foundation
import Testing

/// Freeze windows across daylight-saving changes, against tables worked out by hand from the zones'
/// published 2026 rules (not computed with the code under test).
@Suite("Freeze windows")
struct FreezeWindowTests {
    static func utc(_ text: String) -> Date {
        // yyyy-MM-ddTHH:mm:ssZ, parsed by hand so that the expectations do not depend on Foundation formatting.
        let digits = text.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        let days = LocalTime.daysFromCivil(year: digits[0], month: digits[1], day: digits[2])
        return Date(timeIntervalSince1970: TimeInterval(days * 86_400 + Int64(digits[3] * 3600 + digits[4] * 60 + digits[5])))
    }

    static let berlinTable: [(String, Bool)] = [
        // Spring forward Sun 2026-03-29 01:00Z: opens Fri 16:00 CET (15:00Z), closes Mon 08:00 CEST (06:00Z).
        ("2026-03-27T14:59:59Z", false), ("2026-03-27T15:00:00Z", true), ("2026-03-29T00:59:59Z", true),
        ("2026-03-29T01:00:00Z", true), ("2026-03-30T05:59:59Z", true), ("2026-03-30T06:00:00Z", false),
        // Fall back Sun 2026-10-25 01:00Z: opens Fri 16:00 CEST (14:00Z), closes Mon 08:00 CET (07:00Z).
        ("2026-10-23T13:59:59Z", false), ("2026-10-23T14:00:00Z", true), ("2026-10-25T01:30:00Z", true),
        ("2026-10-26T06:59:59Z", true), ("2026-10-26T07:00:00Z", false),
        // Plain winter and summer weeks, and mid-week.
        ("2026-01-09T14:59:59Z", false), ("2026-01-09T15:00:00Z", true), ("2026-01-12T06:59:59Z", true), ("2026-01-12T07:00:00Z", false),
        ("2026-07-10T13:59:59Z", false), ("2026-07-10T14:00:00Z", true), ("2026-07-13T05:59:59Z", true), ("2026-07-13T06:00:00Z", false),
        ("2026-01-14T12:00:00Z", false),
    ]

    @Test(arguments: berlinTable)
    func berlinWeekendFreeze(_ instant: String, _ frozen: Bool) throws {
        let window = try WeeklyWindow(parsing: "Fri 16:00 – Mon 08:00 Europe/Berlin")
        #expect((window.occurrence(containing: Self.utc(instant)) != nil) == frozen)
    }

    @Test func berlinOccurrenceBoundsAcrossSpringForward() throws {
        let window = try WeeklyWindow(parsing: "fri 16:00 - mon 08:00 Europe/Berlin")
        let occurrence = try #require(window.occurrence(containing: Self.utc("2026-03-28T12:00:00Z")))
        #expect(occurrence.start == Self.utc("2026-03-27T15:00:00Z"))
        #expect(occurrence.end == Self.utc("2026-03-30T06:00:00Z"))
        #expect(window.description == "Fri 16:00 – Mon 08:00 Europe/Berlin")
    }

    static let newYorkTable: [(String, Bool)] = [
        // Spring forward 2026-03-08 07:00Z: 01:00 EST = 06:00Z, 03:00 EDT = 07:00Z — one real hour.
        ("2026-03-08T05:59:59Z", false), ("2026-03-08T06:00:00Z", true), ("2026-03-08T06:59:59Z", true), ("2026-03-08T07:00:00Z", false),
        // Fall back 2026-11-01 06:00Z: 01:00 EDT (first occurrence) = 05:00Z, 03:00 EST = 08:00Z — three real hours.
        ("2026-11-01T04:59:59Z", false), ("2026-11-01T05:00:00Z", true), ("2026-11-01T06:30:00Z", true),
        ("2026-11-01T07:59:59Z", true), ("2026-11-01T08:00:00Z", false),
    ]

    @Test(arguments: newYorkTable)
    func newYorkOneOffOnTransitionDays(_ instant: String, _ frozen: Bool) throws {
        let zone = try #require(TimeZone(identifier: "America/New_York"))
        let windows = [(2026, 3, 8), (2026, 11, 1)].map { (y, m, d) in
            FreezeWindow(id: "nyc-\(m)", schedule: .oneOff(from: LocalTime.date(year: y, month: m, day: d, hour: 1, in: zone),
                                                          until: LocalTime.date(year: y, month: m, day: d, hour: 3, in: zone)))
        }
        #expect(windows.contains { $0.occurrence(containing: Self.utc(instant)) != nil } == frozen)
    }

    @Test func documentedRuleForSkippedAndRepeatedLocalTimes() throws {
        let newYork = try #require(TimeZone(identifier: "America/New_York"))
        // 02:30 does not exist on 2026-03-08: moved forward by the gap → 03:30 EDT = 07:30Z.
        #expect(LocalTime.date(year: 2026, month: 3, day: 8, hour: 2, minute: 30, in: newYork) == Self.utc("2026-03-08T07:30:00Z"))
        // 01:30 happens twice on 2026-11-01: the first (EDT) → 05:30Z.
        #expect(LocalTime.date(year: 2026, month: 11, day: 1, hour: 1, minute: 30, in: newYork) == Self.utc("2026-11-01T05:30:00Z"))
        let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
        #expect(LocalTime.date(year: 2026, month: 3, day: 29, hour: 2, minute: 30, in: berlin) == Self.utc("2026-03-29T01:30:00Z"))
        #expect(LocalTime.date(year: 2026, month: 10, day: 25, hour: 2, minute: 30, in: berlin) == Self.utc("2026-10-25T00:30:00Z"))
        let lordHowe = try #require(TimeZone(identifier: "Australia/Lord_Howe"))
        // 02:15 does not exist on 2026-10-04 (02:00 → 02:30): → 02:45 LHDT (+11) = 15:45Z the day before.
        #expect(LocalTime.date(year: 2026, month: 10, day: 4, hour: 2, minute: 15, in: lordHowe) == Self.utc("2026-10-03T15:45:00Z"))
        // 01:45 happens twice on 2026-04-05 (02:00 → 01:30): the first, LHDT (+11) = 14:45Z the day before.
        #expect(LocalTime.date(year: 2026, month: 4, day: 5, hour: 1, minute: 45, in: lordHowe) == Self.utc("2026-04-04T14:45:00Z"))
    }

    static let lordHoweTable: [(String, Bool)] = [
        // Sun 2026-04-05: 01:00 LHDT (+11) = 14:00Z Apr 4; 03:00 LHST (+10:30) = 16:30Z.
        ("2026-04-04T13:59:59Z", false), ("2026-04-04T14:00:00Z", true), ("2026-04-04T16:29:59Z", true), ("2026-04-04T16:30:00Z", false),
        // Sun 2026-10-04: 01:00 LHST (+10:30) = 14:30Z Oct 3; 03:00 LHDT (+11) = 16:00Z.
        ("2026-10-03T14:29:59Z", false), ("2026-10-03T14:30:00Z", true), ("2026-10-03T15:59:59Z", true), ("2026-10-03T16:00:00Z", false),
    ]

    @Test(arguments: lordHoweTable)
    func lordHoweHalfHourDaylightSaving(_ instant: String, _ frozen: Bool) throws {
        let window = try WeeklyWindow(parsing: "Sun 01:00 – Sun 03:00 Australia/Lord_Howe")
        #expect((window.occurrence(containing: Self.utc(instant)) != nil) == frozen)
    }

    static let kolkataTable: [(String, Bool)] = [
        // Mon 09:00–17:00 IST (+05:30) = 03:30Z–11:30Z.
        ("2026-01-12T03:29:59Z", false), ("2026-01-12T03:30:00Z", true), ("2026-01-12T11:29:59Z", true), ("2026-01-12T11:30:00Z", false),
        ("2026-01-13T05:00:00Z", false),
    ]

    @Test(arguments: kolkataTable)
    func kolkataHalfHourOffset(_ instant: String, _ frozen: Bool) throws {
        let window = try WeeklyWindow(parsing: "Monday 09:00 – Monday 17:00 Asia/Kolkata")
        #expect((window.occurrence(containing: Self.utc(instant)) != nil) == frozen)
    }

    @Test func startAtASkippedTimeMovesForward() throws {
        let window = try WeeklyWindow(parsing: "Sun 02:30 – Sun 04:00 Europe/Berlin")
        #expect(window.occurrence(containing: Self.utc("2026-03-29T01:29:59Z")) == nil)
        #expect(window.occurrence(containing: Self.utc("2026-03-29T01:30:00Z")) != nil)
        #expect(window.occurrence(containing: Self.utc("2026-03-29T02:00:00Z")) == nil)
    }

    @Test func processTimeZoneDoesNotMatter() throws {
        let window = try WeeklyWindow(parsing: "Fri 16:00 – Mon 08:00 Europe/Berlin")
        let before = Self.berlinTable.map { window.occurrence(containing: Self.utc($0.0)) }
        let saved = ProcessInfo.processInfo.environment["TZ"]
        setenv("TZ", "Pacific/Kiritimati", 1)
        tzset()
        NSTimeZone.resetSystemTimeZone()
        let after = Self.berlinTable.map { window.occurrence(containing: Self.utc($0.0)) }
        if let saved { setenv("TZ", saved, 1) } else { unsetenv("TZ") }
        tzset()
        NSTimeZone.resetSystemTimeZone()
        #expect(before == after)
    }

    @Test func equalStartAndEndMeansAWholeWeek() throws {
        let window = try WeeklyWindow(parsing: "Wed 12:00 – Wed 12:00 UTC")
        #expect(window.occurrence(containing: Self.utc("2026-01-10T00:00:00Z")) != nil)
        let occurrence = try #require(window.occurrence(containing: Self.utc("2026-01-14T12:00:00Z")))
        #expect(occurrence.start == Self.utc("2026-01-14T12:00:00Z"))
        #expect(occurrence.duration == 7 * 86_400)
    }

    @Test func malformedWindowsAreRejected() {
        for text in ["Fri 16:00 Mon 08:00 Europe/Berlin", "Fri 25:00 – Mon 08:00 Europe/Berlin", "Xyz 16:00 – Mon 08:00 Europe/Berlin",
                     "Fri 16:00 – Mon 08:00 Mars/Olympus"] {
            #expect(throws: RemediationError.self) { try WeeklyWindow(parsing: text) }
        }
    }

    @Test func serviceScopedFreezeOnlyCoversItsService() {
        let window = FreezeWindow(id: "f1", service: "checkout", schedule: .oneOff(from: Self.utc("2026-01-01T00:00:00Z"), until: Self.utc("2026-01-02T00:00:00Z")))
        #expect(window.covers(service: "checkout"))
        #expect(!window.covers(service: "search"))
        #expect(window.occurrence(containing: Self.utc("2026-01-02T00:00:00Z")) == nil)
    }
}
