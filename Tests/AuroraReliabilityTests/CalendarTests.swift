import AuroraCLITestSupport
import AuroraCore
import Foundation
import Testing

/// Issue 18, item 10: times before the Gregorian reform (15 October 1582) printed in the Julian
/// calendar (`1500-03-01` showed as `1500-02-20`), so `series list` and `detect --emit scores` disagreed
/// about one timestamp. Every reader and printer now uses the proleptic Gregorian calendar.
@Suite(.serialized) struct CalendarTests {
    @Test func timesBefore1582PrintAsTheyWereReadEverywhere() async throws {
        let harness = try CLIHarness()
        defer { harness.remove() }
        var rows = "timestamp,value\n"
        for minute in 0..<40 { rows += "1500-03-01 00:\(minute < 10 ? "0" : "")\(minute):00,\(minute % 7)\n" }
        let path = try harness.directory.write("old.csv", rows)
        let scores = await harness.run(["detect", "--no-store", "--detector", "zscore", "--emit", "scores", path])
        #expect(scores.status == 0, "\(scores.stderr)")
        #expect(scores.stdout.contains("1500-03-01 00:00:00"), "\(scores.stdout.prefix(300))")
        #expect(await harness.run(["ingest", path]).status == 0)
        let list = await harness.run(["series", "list"])
        #expect(list.stdout.contains("1500-03-01T00:00:00Z"), "\(list.stdout)")
        #expect(list.stdout.contains("1500-03-01T00:39:00Z"), "\(list.stdout)")
        #expect(!list.stdout.contains("1500-02-"), "\(list.stdout)")
        // A time argument in that calendar selects the same instants.
        let show = await harness.run(["series", "show", "old", "--since", "1500-03-01T00:30:00Z", "--until", "1500-03-01 00:32"])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout == "timestamp,value\n1500-03-01T00:30:00Z,2.0\n1500-03-01T00:31:00Z,3.0\n", "\(show.stdout)")
    }

    /// The printer and the parser are inverse over ±10 000 years, at random instants.
    @Test func printAndParseAreInverse() {
        var random = Xoshiro256(seed: 10)
        for _ in 0..<20_000 {
            let milliseconds = Int64(bitPattern: random.next()) % 250_000_000_000_000
            let seconds = milliseconds / 1000 * 1000
            let text = CivilTime.iso(seconds)
            guard !text.hasPrefix("-") else { continue }
            #expect(CivilTime.parse(text) == seconds, "\(text)")
            #expect(CivilTime.parse(CivilTime.iso(milliseconds, milliseconds: true)) == milliseconds)
        }
        #expect(CivilTime.iso(CivilTime.parse("1500-03-01")!) == "1500-03-01T00:00:00Z")
        #expect(CivilTime.parse("1582-10-10") == CivilTime.parse("1582-10-04")! + 6 * 86_400_000)
        // 1500 was a leap year only in the Julian calendar; 1600 is one in both.
        #expect(CivilTime.parse("1500-02-29") == nil)
        #expect(CivilTime.parse("1600-02-29") != nil)
    }
}
