import AuroraCLITestSupport
import AuroraCore
import AuroraDetection
@testable import AuroraOperations
import Foundation
import Testing

@Suite struct DetectCommandTests {
    /// A NAB-style CSV: a noisy level around 10 with one large spike at row `spikeAt`.
    static func nabCSV(rows: Int = 1200, spikeAt: Int = 900) -> String {
        var text = "timestamp,value\n"
        var generator = 12345 as UInt64
        for index in 0..<rows {
            generator = generator &* 6364136223846793005 &+ 1442695040888963407
            let noise = Double(generator >> 40) / Double(1 << 24) - 0.5
            let value = index == spikeAt ? 60.0 : 10 + noise
            let minutes = index * 5
            text += String(format: "2026-01-%02d %02d:%02d:00,%.3f\n", 1 + minutes / 1440, minutes / 60 % 24, minutes % 60, value)
        }
        return text
    }

    @Test func findsTheSpikeRecordsItAndExitCodeReportsFindings() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let file = try cli.directory.write("latency.csv", Self.nabCSV())
        let result = await cli.run(["detect", file, "--json", "--exit-code"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("\"peak_value\":60"))
        #expect(result.stdout.contains("\"peak_time\":\"2026-01-04T03:00:00Z\""))
        let status = await cli.run(["db", "status", "--json"])
        #expect(status.stdout.contains("\"anomaly_events\":"))
        #expect(!status.stdout.contains("\"anomaly_events\":0"))
    }

    @Test func quietSeriesGivesNoEventsAndExitZero() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        var text = "timestamp,value\n"
        for index in 0..<600 { text += String(format: "2026-01-01 %02d:%02d:00,%.1f\n", index / 60 % 24, index % 60, 5.0 + Double(index % 3) * 0.1) }
        let file = try cli.directory.write("flat.csv", text)
        let result = await cli.run(["detect", file, "--exit-code", "--no-store"])
        #expect(result.status == 0)
        #expect(result.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: cli.databasePath))
    }

    @Test func emitScoresPrintsOneRowPerInputRowInInputOrder() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        // Repeated and backwards timestamps must still give one output row each, in file order.
        let text = "timestamp,value\n2026-01-01 00:10:00,1\n2026-01-01 00:05:00,2\n2026-01-01 00:05:00,3\n2026-01-01 00:15:00,4\n"
        let file = try cli.directory.write("odd.csv", text)
        let result = await cli.run(["detect", "--detector", "zscore", "--emit", "scores", file])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first == "timestamp,value,anomaly_score")
        #expect(lines.dropFirst().map { $0.split(separator: ",").prefix(2).joined(separator: ",") } == [
            "2026-01-01 00:10:00,1", "2026-01-01 00:05:00,2", "2026-01-01 00:05:00,3", "2026-01-01 00:15:00,4",
        ])
    }

    /// pandas writes a missing sample as an empty cell: such a file is read with its gaps, not refused,
    /// by the event table and by `--emit scores` (which keeps the row and scores it as a gap).
    @Test func emptyCellsOfAnExportAreMissingSamples() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        var lines = Self.nabCSV().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for row in [100, 400, 401] { lines[row] = lines[row].split(separator: ",")[0] + "," }
        let file = try cli.directory.write("export.csv", lines.joined(separator: "\n"))
        let events = await cli.run(["detect", "--no-store", "--json", file])
        #expect(events.status == 0, "\(events.stderr)")
        #expect(events.stdout.contains("\"peak_value\":60"))
        #expect(events.stderr.contains("note: skipped 3 missing or NaN/Inf values"))
        let scores = await cli.run(["detect", "--no-store", "--emit", "scores", file])
        #expect(scores.status == 0, "\(scores.stderr)")
        #expect(scores.stdout.split(separator: "\n").count == 1201)
        #expect(scores.stderr.contains("note: 3 missing or NaN/Inf value(s) kept as rows and scored as gaps"))
    }

    /// Two hosts' `cpu.csv` over the same times are two series: the spike in one is found, not
    /// overwritten by the other's values at the same timestamps.
    @Test func sameNamedFilesFromTwoHostsAreTwoSeries() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        for host in ["host1", "host2"] {
            try FileManager.default.createDirectory(atPath: cli.directory.file(host), withIntermediateDirectories: true)
        }
        try cli.directory.write("host1/cpu.csv", Self.nabCSV())
        try cli.directory.write("host2/cpu.csv", Self.nabCSV().replacingOccurrences(of: ",60.000\n", with: ",10.000\n"))
        let result = await cli.run(["detect", "--no-store", "--json", cli.directory.file("host1"), cli.directory.file("host2")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains(#""series":"cpu{file=\"host1/cpu.csv\"}""#), "\(result.stdout)")
        #expect(result.stdout.contains("\"peak_value\":60"))
        #expect(result.stderr.contains("note: host1/cpu.csv and host2/cpu.csv each hold a series named 'cpu' over the same times"))
        #expect(!result.stderr.contains("duplicate timestamp"))
    }

    /// A file larger than one read chunk streams block by block; its scores must be exactly those of
    /// scoring the whole series at once (detector state carried across blocks), NaN rows included.
    @Test func streamedScoresEqualScoringTheWholeSeries() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let rows = 260_000
        var timestamps: [Int64] = []
        var values: [Double] = []
        var text = "timestamp,value\n"
        var generator = Xoshiro256(seed: 7)
        for row in 0..<rows {
            let seconds = 1_767_225_600 + Int64(row) * 60
            let value = row % 50_000 == 49_999 ? Double.nan : (row == 200_000 ? 90 : 20 + generator.nextNormal())
            timestamps.append(seconds * 1000)
            values.append(value)
            text += "\(seconds),\(value.isNaN ? "NaN" : String(format: "%.4f", value))\n"
            if !value.isNaN { values[row] = Double(String(format: "%.4f", value))! }
        }
        let file = try cli.directory.write("big.csv", text)
        let result = await cli.run(["detect", "--detector", "zscore,mad", "--emit", "scores", file])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == rows + 1)

        var repaired = values
        var last = 0.0
        for index in repaired.indices {
            if repaired[index].isFinite { last = repaired[index] } else { repaired[index] = last }
        }
        let run = try DetectionRun(detectors: ["zscore", "mad"], includeRules: false, emitScores: true)
        let expected = try run.run(Series(key: SeriesKey(name: "big"), timestamps: timestamps, values: repaired)).scores
        var mismatches = 0
        for (index, line) in lines.dropFirst().enumerated() {
            let fields = line.split(separator: ",")
            guard fields.count == 3, let score = Double(fields[2]), abs(score - expected[index]) <= 5.000001e-7 else {
                mismatches += 1
                continue
            }
        }
        #expect(mismatches == 0)
        #expect(lines[50_000].hasSuffix(",nan,\(lines[50_000].split(separator: ",")[2])"))
        #expect(expected[200_000] > 0.9, "the spike scores high in both")
    }

    @Test func unknownDetectorIsAUsageError() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let file = try cli.directory.write("x.csv", Self.nabCSV(rows: 50, spikeAt: 40))
        let result = await cli.run(["detect", "--detector", "zscroe", file])
        #expect(result.status == 64)
        #expect(result.stderr.contains("unknown detector 'zscroe' (did you mean 'zscore'?)"), "\(result.stderr)")
        let far = await cli.run(["detect", "--detector", "wavelet", file])
        #expect(far.status == 64 && !far.stderr.contains("did you mean"), "\(far.stderr)")
        let listed = await cli.run(["detect", "--list-detectors"])
        #expect(listed.stdout.contains("zscore\n"))
    }

    @Test func theStuckDetectorReportsAFrozenValueAsAFlatEvent() async throws {
        // Noise around 10 that freezes at its last reading from row 900: no point deviates, so the
        // default ensemble is silent; with `stuck` one event says the series went flat.
        let rows = Self.nabCSV(rows: 1_200, spikeAt: -1).split(separator: "\n").map(String.init)
        let frozenValue = rows[900].split(separator: ",")[1]
        let frozen = rows.enumerated().map { index, row in
            index > 900 ? row.split(separator: ",")[0] + "," + frozenValue : row
        }.joined(separator: "\n") + "\n"
        let cli = try CLIHarness()
        defer { cli.remove() }
        let file = try cli.directory.write("sensor.csv", frozen)
        let plain = await cli.run(["detect", "--no-store", "--json", file])
        #expect(!plain.stdout.contains("\"flat\""))
        let result = await cli.run(["detect", "--no-store", "--json", "--detector", "seasonal,stuck", file])
        #expect(result.status == 0)
        #expect(result.stdout.contains("\"direction\":\"flat\""), "\(result.stdout)")
        #expect(result.stdout.contains("\"stuck\""))
    }

    @Test func theDriftDetectorReportsALastingShiftNoPointShows() async throws {
        // Two weeks of 5-minute latency, 100 ± 5 ms, that moves up 12 ms (2.4 sigmas) from row 3,000
        // and stays: no point pages, the sum does, once, on the side it went.
        var generator = Xoshiro256(seed: 3)
        var text = "timestamp,value\n"
        for index in 0..<4_032 {
            let minutes = index * 5
            let value = 100 + 5 * generator.nextNormal() + (index >= 3_000 ? 12 : 0)
            text += String(format: "2026-01-%02d %02d:%02d:00,%.3f\n", 1 + minutes / 1440, minutes / 60 % 24, minutes % 60, value)
        }
        let cli = try CLIHarness()
        defer { cli.remove() }
        let file = try cli.directory.write("latency.csv", text)
        func events(_ output: String) throws -> [[String: Any]] {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
            return try #require(object["events"] as? [[String: Any]])
        }
        // Row 3,000 is 2026-01-11 10:00.
        let shifted = { (event: [String: Any]) in (event["start"] as? String ?? "") >= "2026-01-11T10:00:00Z" }
        let plain = await cli.run(["detect", "--no-store", "--json", file])
        #expect(try events(plain.stdout).filter(shifted).isEmpty, "the default ensemble pages the shift: \(plain.stdout)")
        let result = await cli.run(["detect", "--no-store", "--json", "--detector", "seasonal,drift", file])
        #expect(result.status == 0, "\(result.stderr)")
        let drift = try events(result.stdout).filter { ($0["detectors"] as? [String]) == ["drift"] }
        #expect(drift.count == 1, "\(result.stdout)")
        // The sum fires within two hours.
        let start = try #require(drift.first?["start"] as? String)
        #expect(start >= "2026-01-11T10:00:00Z" && start < "2026-01-11T12:00:00Z", "\(start)")
        #expect(drift.first?["direction"] as? String == "up")
        // No model was fitted on drift events: no confidence, and the table says so (not `rule`).
        #expect(drift.first?["confidence"] is NSNull)
        let table = await cli.run(["detect", "--no-store", "--detector", "seasonal,drift", file])
        #expect(table.stdout.contains("not fitted") && !table.stdout.contains(" rule "), "\(table.stdout)")
    }

    @Test func aConfiguredRuleIsReportedEvenWhenTheValueLooksNormal() async throws {
        // Five-minute noise around 10 with two hours missing after row 600: the value that ends the gap
        // is normal, so only the absent-data rule sees anything. Its event used to be set aside as
        // "peak within the expected range", which hid every absent-data event of `aurora detect`.
        let rows = Self.nabCSV(rows: 1_200, spikeAt: -1).split(separator: "\n").map(String.init)
        let gapped = rows.enumerated().filter { index, _ in !(601...624).contains(index) }.map(\.element).joined(separator: "\n") + "\n"
        let cli = try CLIHarness()
        defer { cli.remove() }
        let file = try cli.directory.write("feed.csv", gapped)
        let configuration = try cli.directory.write("rules.yaml", """
            aurora:
              detection:
                rules:
                  - name: feed-silent
                    absent-for: 30m
                    severity: critical
            """)
        let result = await cli.run(["--config", configuration, "detect", "--no-store", "--json", file])
        #expect(result.status == 0)
        #expect(result.stdout.contains("\"feed-silent\""), "\(result.stdout) \(result.stderr)")
        #expect(result.stdout.contains("\"direction\":\"within\""), "\(result.stdout)")
        #expect(!result.stderr.contains("set aside"), "\(result.stderr)")
        // Without the rule nothing is anomalous: the event is the rule's alone.
        let plain = await cli.run(["detect", "--no-store", "--json", file])
        #expect(!plain.stdout.contains("\"direction\""), "\(plain.stdout)")
    }

    @Test func aMissingDailyPeakIsReportedAgainstTheUsualValueAtThatHour() async throws {
        // Two weeks of a daily cycle (100 ± 40, noise about 3); on day 10 the four peak hours stay at
        // the daily mean. 100 is inside the range the series covers every day, so an expected range of
        // the whole day set the event aside ("peak within the expected range"); the range at that hour
        // (about 126 to 146) does not.
        var generator = 2_024 as UInt64
        var text = "timestamp,value\n"
        for index in 0..<288 * 14 {
            generator = generator &* 6364136223846793005 &+ 1442695040888963407
            let noise = (Double(generator >> 40) / Double(1 << 24) - 0.5) * 10
            let missing = (288 * 10 + 48..<288 * 10 + 96).contains(index)
            let value = (missing ? 100 : 100 + 40 * sin(2 * Double.pi * Double(index) / 288)) + noise
            let minutes = index * 5
            text += String(format: "2026-01-%02d %02d:%02d:00,%.3f\n", 1 + minutes / 1440, minutes / 60 % 24, minutes % 60, value)
        }
        let cli = try CLIHarness()
        defer { cli.remove() }
        let file = try cli.directory.write("traffic.csv", text)
        // The default ensemble, and one configured with another member first: the band is the
        // seasonal member's wherever it stands.
        for detectors in [[], ["--detector", "mad,seasonal"]] {
            let result = await cli.run(["detect", "--no-store", "--json"] + detectors + [file])
            #expect(result.status == 0)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            let events = try #require(json["events"] as? [[String: Any]])
            let onDay10 = events.filter { ($0["start"] as? String)?.hasPrefix("2026-01-11T0") == true }
            let event = try #require(onDay10.first, "\(detectors) \(result.stdout) \(result.stderr)")
            #expect(event["direction"] as? String == "down")
            let low = try #require(event["expected_low"] as? Double)
            let peak = try #require(event["peak_value"] as? Double)
            #expect(low > 115 && peak < 110, "\(detectors): expected from \(low), peak \(peak)")
        }
    }

    @Test func storedSeriesAreScoredOnceAcrossRuns() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let file = try cli.directory.write("latency.csv", Self.nabCSV())
        #expect(await cli.run(["ingest", file]).status == 0)
        let first = await cli.run(["detect", "--json"])
        #expect(first.status == 0)
        #expect(first.stdout.contains("\"peak_value\":60"))
        let second = await cli.run(["detect", "--json"])
        #expect(second.stdout == "{\"events\":[]}\n")
        #expect(second.stderr.contains("no new points since the last run"))
    }

    /// More series than one group of stored detection (states are scored a group at a time so that a pass
    /// stays small): spikes in the first and the last group are both recorded, once.
    @Test func storedSeriesAreScoredInGroupsAndNothingIsMissedOrRepeated() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let count = StoredDetection.chunkSize * 2 + 10
        var csv = "timestamp,metric,value,service\n"
        for series in 0..<count {
            for index in 0..<150 {
                let spike = (series == 3 || series == count - 2) && index == 140
                let value = spike ? 90.0 : 10 + Double((index * 7 + series) % 5) * 0.1
                csv += "\(1_800_000_000 + index * 60),latency_ms,\(value),svc\(series)\n"
            }
        }
        let file = try cli.directory.write("many.csv", csv)
        #expect(await cli.run(["ingest", "--format", "long", file]).status == 0)
        let first = await cli.run(["detect", "--json"])
        #expect(first.stdout.components(separatedBy: "\"peak_value\":90").count == 3, "\(first.stdout)")
        #expect(first.stdout.contains("svc3") && first.stdout.contains("svc\(count - 2)"))
        let second = await cli.run(["detect", "--json"])
        #expect(second.stdout == "{\"events\":[]}\n")
        let incidents = await cli.run(["incidents", "list", "--all", "--json"])
        #expect(incidents.stdout.contains("svc3") && incidents.stdout.contains("svc\(count - 2)"), "\(incidents.stdout)")
    }

    @Test func evalGradesAgainstLabelledWindows() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let folder = cli.directory.file("corpus/realTest")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data(Self.nabCSV().utf8).write(to: URL(fileURLWithPath: folder + "/spike.csv"))
        let labels = try cli.directory.write("labels.json", """
        {"realTest/spike.csv": [["2026-01-04 02:00:00.000000", "2026-01-04 04:00:00.000000"]]}
        """)
        let result = await cli.run(["eval", cli.directory.file("corpus"), "--labels", labels, "--detector", "zscore", "--json"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("\"detector\":\"zscore\""))
        #expect(result.stdout.contains("\"recall\":1"))
        #expect(await cli.run(["eval", cli.directory.file("corpus")]).status == 64)
    }
}
