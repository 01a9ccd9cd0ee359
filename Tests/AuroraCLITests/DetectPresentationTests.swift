@testable import AuroraCLI
import AuroraCLITestSupport
import AuroraCore
import AuroraDetection
import Foundation
import Testing

/// Issue 17, point 4: detect's table reads right — ranges bounded by what the metric can be, no event
/// whose peak is inside its own range, direction, duration, the incident joined, a summary line.
@Suite struct DetectPresentationTests {
    static func quickStart() async throws -> (CLIHarness, String) {
        let cli = try CLIHarness()
        let folder = cli.directory.file("fleet")
        #expect(await cli.run(["demo", "--write-data", folder]).status == 0)
        return (cli, folder)
    }

    @Test func rangesNeverGoBelowZeroAndEveryPeakIsOutsideItsRange() async throws {
        let (cli, folder) = try await Self.quickStart()
        defer { cli.remove() }
        let result = await cli.run(["detect", folder + "/fleet.csv", "--json", "--no-store"])
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let events = try #require(object?["events"] as? [[String: Any]])
        #expect(!events.isEmpty)
        for event in events {
            let low = try #require(event["expected_low"] as? Double), high = try #require(event["expected_high"] as? Double)
            let peak = try #require(event["peak_value"] as? Double)
            #expect(low >= 0, "\(event["series"] ?? "?"): expected range starts below zero")
            #expect(peak < low || peak > high, "\(event["series"] ?? "?"): peak \(peak) inside \(low)…\(high)")
            #expect(event["direction"] as? String == (peak > high ? "up" : "down"))
        }
    }

    @Test func theTableShowsDirectionDurationIncidentAndASummary() async throws {
        let (cli, folder) = try await Self.quickStart()
        defer { cli.remove() }
        let result = await cli.run(["detect", folder + "/fleet.csv"])
        #expect(result.status == 0)
        let header = try #require(result.stdout.split(separator: "\n").first)
        for column in ["DIRECTION", "LASTED", "INCIDENT"] { #expect(header.contains(column)) }
        #expect(!header.contains("SHAPE"), "no sparklines when stdout is not a terminal")
        let rows = result.stdout.split(separator: "\n").dropFirst()
        #expect(rows.allSatisfy { $0.contains(" up ") || $0.contains(" down ") })
        // The demo's fault still runs when its data ends (error rate forty times normal to the last
        // row), so the event is ongoing; it closed after 11 minutes only while novelty judged the
        // persisting fault against its own first point.
        #expect(rows.contains { $0.contains("error_rate{service=\"postgres\"}") && $0.contains("ongoing") })
        #expect(rows.allSatisfy { $0.hasSuffix(" 1") }, "every event joined incident 1")
        #expect(result.stderr.contains("\(rows.count) events → incident 1 (4 services); next: aurora diagnose"), "\(result.stderr)")
    }

    @Test func onATerminalEachEventHasASparkline() async throws {
        let (cli, folder) = try await Self.quickStart()
        defer { cli.remove() }
        let result = await cli.run(["detect", folder + "/fleet.csv", "--no-store", "--no-color"], terminal: true)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first?.hasSuffix("SHAPE") == true)
        #expect(lines.dropFirst().allSatisfy { line in line.unicodeScalars.contains { Sparkline.bars.contains(Character($0)) } })
    }

    @Test func countsAreBoundedAtZeroAndAPeakInsideItsRangeIsSetAside() {
        let key = SeriesKey(name: "Twitter_volume_AAPL")
        let series = Series(key: key, timestamps: [0, 60_000, 120_000], values: [10, 200, 12])
        func event(_ start: Int64, peak: Double, low: Double, high: Double) -> AnomalyEvent {
            AnomalyEvent(series: key, start: start, end: start, peakTimestamp: start, peakValue: peak, expectedLow: low,
                         expectedHigh: high, score: 0.9, statisticalPeak: 0.9, detectors: ["seasonal"], pointCount: 1)
        }
        let (kept, setAside) = EventPresentation.prepare([event(60_000, peak: 200, low: -80.5, high: 153.5),
                                                          event(120_000, peak: 12, low: -3, high: 40)], series: [series])
        #expect(kept.count == 1 && setAside == 1)
        #expect(kept.first?.expectedLow == 0)
        #expect(EventPresentation.direction(kept[0]) == "up")
        #expect(EventPresentation.duration(kept[0]) == "1 point")
    }

    @Test func aSparklineKeepsAOnePointSpikeAndMarksTheEvent() {
        var values = [Double](repeating: 1, count: 100)
        values[50] = 9
        let line = Sparkline.render(values, width: 20, highlight: 50..<51, mark: { "[\($0)]" })
        #expect(line.contains("[█]"))
        #expect(line.filter { $0 == "█" }.count == 1)
        #expect(line.count == 22)
    }
}
