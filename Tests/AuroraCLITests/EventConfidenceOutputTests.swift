import AuroraCLITestSupport
import Foundation
import Testing

/// `aurora detect` reports each event's confidence as the fitted probability that it marks a fault
/// (and the ensemble's agreement apart); `aurora eval` grades that confidence against the labels.
struct EventConfidenceOutputTests {
    @Test func detectReportsAProbabilityAndTheAgreementApart() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let file = try cli.directory.write("api_latency.csv", ShortHistoryNoteTests.dump(count: 300, spike: 200))
        let json = await cli.run(["detect", "--no-store", "--jsonl", file])
        #expect(json.status == 0, "\(json.stderr)")
        let event = try #require(ShortHistoryNoteTests.events(json.stdout).first)
        let confidence = try #require(event["confidence"] as? Double)
        #expect(confidence > 0.1 && confidence < 0.8, "a probability fitted on outcomes, not the members' agreement (\(confidence))")
        #expect(event["agreement"] as? Double == 1)

        let text = await cli.run(["detect", "--no-store", file])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("CONFIDENCE"))
        #expect(text.stdout.contains(String(format: "%.0f%%", confidence * 100)), "\(text.stdout)")
    }

    /// `--min-confidence` reports, and lets --exit-code count, only the events at least that likely;
    /// the others are recorded all the same, from files and from stored series.
    @Test func aConfidenceFloorFiltersWhatIsReportedNotWhatIsRecorded() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let file = try cli.directory.write("api_latency.csv", ShortHistoryNoteTests.dump(count: 300, spike: 200))
        let above = await cli.run(["detect", "--no-store", "--jsonl", "--exit-code", "--min-confidence", "0.1", file])
        #expect(above.status == 1, "the event is above 0.1: a finding")
        #expect(ShortHistoryNoteTests.events(above.stdout).count == 1)

        let below = await cli.run(["detect", "--jsonl", "--exit-code", "--min-confidence", "0.95", file])
        #expect(below.status == 0, "no event is 95% likely: nothing to page on (\(below.stderr))")
        #expect(below.stdout.isEmpty)
        #expect(below.stderr.contains("note: 1 event below --min-confidence 0.95 not shown (recorded as usual)"), "\(below.stderr)")
        #expect(!below.stderr.contains("less history"), "notes speak of the events shown")
        let listed = await cli.run(["incidents", "show", "1", "--json"])
        #expect(listed.status == 0, "the event was recorded and opened its incident: \(listed.stderr)")

        // Stored series: the same floor.
        let other = try cli.directory.write("db_latency.csv", ShortHistoryNoteTests.dump(count: 300, spike: 250))
        #expect(await cli.run(["ingest", other]).status == 0)
        let stored = await cli.run(["detect", "--exit-code", "--min-confidence", "0.95"])
        #expect(stored.status == 0, "\(stored.stderr)")
        #expect(stored.stderr.contains("below --min-confidence 0.95 not shown (recorded as usual)"), "\(stored.stderr)")

        for bad in ["1.5", "-0.1", "likely"] {
            let refused = await cli.run(["detect", "--no-store", "--min-confidence", bad, file])
            #expect(refused.status == 64, "\(bad): \(refused.stderr)")
        }
    }

    /// A configured rule's event has no fitted probability: `null` in JSON, `rule` in the table. (The
    /// series is flat at 100, which no statistical detector finds strange; the rule says above 50 is.)
    @Test func aRuleEventSaysItIsTheRules() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let configuration = try cli.directory.write("rules.yaml", """
            aurora:
              detection:
                rules:
                  - name: latency-ceiling
                    match: api_latency
                    above: 50
            """)
        var text = "timestamp,value\n"
        for index in 0..<120 { text += String(format: "2026-03-01 %02d:%02d:00,%d\n", index / 60, index % 60, 100) }
        let file = try cli.directory.write("api_latency.csv", text)
        let json = await cli.run(["--config", configuration, "detect", "--no-store", "--jsonl", file])
        #expect(json.status == 0, "\(json.stderr)")
        let events = ShortHistoryNoteTests.events(json.stdout)
        let rule = try #require(events.first { ($0["detectors"] as? [String]) == ["latency-ceiling"] }, "\(json.stdout)")
        #expect(rule["confidence"] is NSNull)
        #expect(rule["short_history"] as? Bool == false, "a rule does not learn the series: its history does not matter")
        #expect(!json.stderr.contains("less history"), "\(json.stderr)")
        let table = await cli.run(["--config", configuration, "detect", "--no-store", file])
        #expect(table.stdout.contains(" rule "), "\(table.stdout)")
        let floored = await cli.run(["--config", configuration, "detect", "--no-store", "--exit-code", "--min-confidence", "0.99", file])
        #expect(floored.status == 1, "a rule's event is the operator's own: no floor hides it")
    }

    /// The confidence is kept with the stored event: `incidents show` gives each anomaly's, and the
    /// likeliest one's as how likely the incident is a real fault.
    @Test func anIncidentShowsItsAnomaliesConfidence() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let file = try cli.directory.write("api_latency.csv", ShortHistoryNoteTests.dump(count: 300, spike: 200))
        let detect = await cli.run(["detect", "--jsonl", file])
        #expect(detect.status == 0, "\(detect.stderr)")
        let confidence = try #require(ShortHistoryNoteTests.events(detect.stdout).first?["confidence"] as? Double)
        let percent = String(format: "%.0f%%", confidence * 100)
        let text = await cli.run(["incidents", "show", "1"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("fault      real \(percent) (strongest anomaly)"), "\(text.stdout)")
        #expect(text.stdout.contains("confidence \(percent)  [seasonal]"), "\(text.stdout)")
        let json = await cli.run(["incidents", "show", "1", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let anomalies = try #require(object["anomalies"] as? [[String: Any]])
        #expect(anomalies.map { $0["confidence"] as? Double } == [confidence])
        let fault = try #require(object["fault"] as? [String: Any])
        #expect(fault["basis"] as? String == "anomaly" && fault["probability"] as? Double == confidence)
    }

    @Test func evalGradesTheConfidenceInTextJSONAndMarkdown() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let alpha = try EvalCrossValidationTests.corpus(cli, name: "alpha", categories: ["cpu", "disk"])
        let beta = try EvalCrossValidationTests.corpus(cli, name: "beta", categories: ["rps"])
        let arguments = ["eval", cli.directory.file("alpha/data"), cli.directory.file("beta/data"), "--labels", alpha, "--labels", beta]
        let json = await cli.run(arguments + ["--cross-validate", "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let entries = try #require(object["event_confidence"] as? [[String: Any]])
        #expect(entries.map { $0["corpus"] as? String } == ["alpha", "beta", "all"])
        for entry in entries {
            let shipped = try #require(entry["shipped"] as? [String: Any])
            let bands = try #require(shipped["bands"] as? [[String: Any]])
            let events = try #require(shipped["events"] as? Int)
            #expect(events > 0 && bands.reduce(0) { $0 + ($1["events"] as? Int ?? 0) } == events)
            #expect(entry["left_out"] is [String: Any])
            #expect(entry["fitted_here"] is NSNull, "three events, all right: too few to fit")
        }

        let text = await cli.run(arguments)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("Event confidence (default ensemble)") && text.stdout.contains("FITTED HERE"), "\(text.stdout)")
        #expect(text.stdout.contains("too few events"), "\(text.stdout)")
        #expect(text.stdout.contains("0.60–0.70"), "without --cross-validate the bands are shown")

        let markdown = await cli.run(arguments + ["--cross-validate", "--markdown"])
        #expect(markdown.stdout.contains("## Event confidence (default ensemble)"))
        #expect(markdown.stdout.contains("| all |"))

        let zscore = await cli.run(arguments + ["--detector", "zscore", "--json"])
        let single = try #require(try JSONSerialization.jsonObject(with: Data(zscore.stdout.utf8)) as? [String: Any])
        #expect((single["event_confidence"] as? [Any])?.isEmpty == true, "the confidence is fitted for the ensemble, not one detector")
    }
}
