@testable import AuroraCLI
import AuroraCLITestSupport
import AuroraCore
import Testing

/// Label values are written by whoever writes the metrics; printed raw they can drive the terminal.
@Suite struct TerminalTextTests {
    @Test func controlCharactersAreShownEscaped() {
        #expect(TerminalText.safe("a\u{1B}]0;pwned\u{07}b") == "a\\e]0;pwned\\x07b")
        #expect(TerminalText.safe("x\u{1B}[2Jy\u{1B}[1A") == "x\\e[2Jy\\e[1A")
        #expect(TerminalText.safe("one\ntwo\r\tthree\u{7F}\u{9B}") == "one\\ntwo\\r\\tthree\\x7f\\x9b")
        #expect(TerminalText.safe("checkout é ✓") == "checkout é ✓")
    }

    /// aurora's own colours (a red sparkline in a cell) survive; nothing else that starts with ESC does.
    @Test func colourSwitchesAreKept() {
        let red = Style(enabled: true).red("▇")
        #expect(TerminalText.safe(red) == red)
        #expect(TerminalText.safe("\u{1B}[31") == "\\e[31")
    }

    @Test func seriesListEscapesALabelThatWouldRetitleTheTerminal() async throws {
        let harness = try CLIHarness()
        defer { harness.remove() }
        let path = try harness.directory.write("hostile.jsonl", """
            {"name":"cpu","labels":{"service":"a\\u001b]0;owned\\u0007\\u001b[2J"},"timestamp":1700000000,"value":1}

            """)
        let ingest = await harness.run(["ingest", path])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        #expect(!ingest.stdout.contains("\u{1B}"), "\(ingest.stdout.debugDescription)")
        let list = await harness.run(["series", "list"])
        #expect(list.stdout.contains(#"a\e]0;owned\x07\e[2J"#), "\(list.stdout.debugDescription)")
        #expect(!list.stdout.contains("\u{1B}") && !list.stdout.contains("\u{07}"), "\(list.stdout.debugDescription)")
        let json = await harness.run(["series", "list", "--json"])
        #expect(json.stdout.contains(#"\u001b]0;owned"#), "JSON keeps the value, escaped as JSON: \(json.stdout)")
    }

    /// Lines outside tables (`incidents show`, error messages) escape the same way: one line stays
    /// one line, and nothing in it reaches the terminal as a control sequence.
    @Test func incidentLinesAndErrorsEscapeAHostileService() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        // JSON lines: a JSON string can carry any control character, a newline included.
        let hostile = #"pay\u001b[2J\u001b]0;owned\u0007ments\nincident 9 resolved"#
        var lines = ""
        for minute in 0..<600 {
            let value = (500..<505).contains(minute) ? 1_000.0 : 100.0 + Double(minute * 7 % 5)
            lines += #"{"name":"latency_ms","labels":{"service":"\#(hostile)"},"timestamp":\#(1_767_225_600 + minute * 60),"value":\#(value)}"# + "\n"
        }
        let file = try cli.directory.write("hostile.jsonl", lines)
        let detect = await cli.run(["detect", file])
        #expect(detect.status == 0, "\(detect.stderr)")
        let show = await cli.run(["incidents", "show", "1"])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains(#"pay\e[2J\e]0;owned\x07ments\nincident 9 resolved"#), "\(show.stdout.debugDescription)")
        #expect(!show.stdout.contains("\u{1B}") && !show.stdout.contains("\u{07}"), "\(show.stdout.debugDescription)")
        #expect(!show.stdout.contains("\nincident 9 resolved"), "a value cannot start a line of its own")

        let missing = await cli.run(["series", "show", "cpu{service=\"x\u{1B}[2J\"}"])
        #expect(missing.status != 0)
        #expect(!missing.stderr.contains("\u{1B}[2J"), "\(missing.stderr.debugDescription)")
    }
}
