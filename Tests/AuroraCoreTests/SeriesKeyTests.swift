import AuroraCore
import Testing

@Suite struct SeriesKeyTests {
    @Test func labelsAreSortedSoOrderDoesNotMatter() {
        let a = SeriesKey(name: "http_requests_total", labels: [Label("service", "checkout"), Label("method", "GET")])
        let b = SeriesKey(name: "http_requests_total", labels: [Label("method", "GET"), Label("service", "checkout")])
        #expect(a == b)
        #expect(a.description == #"http_requests_total{method="GET",service="checkout"}"#)
        #expect(a[label: "service"] == "checkout")
        #expect(a[label: "missing"] == nil)
    }

    @Test func escapesLabelValuesAsPrometheusDoes() {
        let key = SeriesKey(name: "m", labels: ["path": "a\"b\\c\nd"])
        #expect(key.description == #"m{path="a\"b\\c\nd"}"#)
    }

    @Test func bareNameHasNoBraces() {
        #expect(SeriesKey(name: "cpu").description == "cpu")
    }

    @Test func laterDuplicateLabelWins() {
        let key = SeriesKey(name: "m", labels: [Label("service", "a"), Label("service", "b")])
        #expect(key.labels == [Label("service", "b")])
    }
}
