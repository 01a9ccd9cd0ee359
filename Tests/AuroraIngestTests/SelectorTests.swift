import AuroraCore
import Testing

@Suite struct SelectorTests {
    let api = SeriesKey(name: "http_requests_total", labels: ["service": "api", "code": "500", "path": "/v1/orders"])

    @Test(arguments: [
        ("http_requests_total", true),
        ("cpu", false),
        ("http_requests_total{service=\"api\"}", true),
        ("{service=\"api\"}", true),
        ("{service=\"web\"}", false),
        ("http_requests_total{service!=\"web\"}", true),
        ("http_requests_total{code=~\"5..\"}", true),
        ("http_requests_total{code=~\"5\"}", false),
        ("http_requests_total{code!~\"2..|3..\"}", true),
        ("http_requests_total{path=~\"/v1/.*\", service='api'}", true),
        ("{__name__=~\"http_.*\"}", true),
        ("http_requests_total{zone=\"\"}", true),
        ("http_requests_total{zone!=\"\"}", false),
        ("http_requests_total{service=\"api\",}", true),
    ])
    func matches(selector: String, expected: Bool) throws {
        #expect(try SeriesSelector(parsing: selector).matches(api) == expected)
    }

    @Test(arguments: [
        ("", "--match:1:1: empty selector (expected name{label=\"value\"})"),
        ("cpu{service=\"a\"", "--match:1:16: unterminated selector (expected '}')"),
        ("cpu{service=a}", "--match:1:13: unexpected 'a' (expected a quoted label value)"),
        ("cpu{service~\"a\"}", "--match:1:12: unexpected '~' (expected one of =, !=, =~, !~)"),
        ("cpu{=\"a\"}", "--match:1:5: unexpected '=' (expected a label name)"),
        ("cpu{service=\"a}", "--match:1:13: unterminated string (expected closing \")"),
        ("cpu{a=\"x\" b=\"y\"}", "--match:1:11: unexpected 'b' (expected ',' or '}')"),
        ("{}", "--match:1:1: empty selector {} (expected at least one label matcher)"),
        ("cpu extra", "--match:1:5: unexpected 'e' after the selector (expected end of selector)"),
    ])
    func parseErrors(selector: String, message: String) {
        #expect(throws: LocatedError.self) { try SeriesSelector(parsing: selector, origin: "--match") }
        do {
            _ = try SeriesSelector(parsing: selector, origin: "--match")
        } catch {
            #expect(error.description == message)
            #expect(error.kind == .usage)
        }
    }

    @Test func invalidRegexIsLocated() {
        do {
            _ = try SeriesSelector(parsing: "cpu{a=~\"(\"}", origin: "--match")
            Issue.record("expected an error")
        } catch {
            #expect(error.location.column == 8)
            #expect(error.message.hasPrefix("invalid regular expression \"(\""))
        }
    }

    @Test func seriesNotation() throws {
        let parsed = try SeriesSelector.seriesKey(fromNotation: "cpu{service=\"a\",host=\"h\\\"1\"}")
        #expect(parsed == SeriesKey(name: "cpu", labels: ["service": "a", "host": "h\"1"]))
        #expect(parsed.description == "cpu{host=\"h\\\"1\",service=\"a\"}")
        #expect(throws: LocatedError.self) { try SeriesSelector.seriesKey(fromNotation: "cpu{a!=\"x\"}") }
    }

    @Test func descriptionRoundTrips() throws {
        let selector = try SeriesSelector(parsing: "up{job=~\"api|web\",zone!=\"eu\"}")
        #expect(selector.description == "up{job=~\"api|web\",zone!=\"eu\"}")
        #expect(try SeriesSelector(parsing: selector.description).description == selector.description)
    }
}
