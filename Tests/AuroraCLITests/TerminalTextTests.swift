@testable import AuroraCLI
import AuroraCLITestSupport
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
}
