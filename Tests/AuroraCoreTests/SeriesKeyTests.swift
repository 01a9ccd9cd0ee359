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

    /// Issue 18, item 4: the printed key is the series' identity in the database, so no two distinct
    /// keys may print alike. Proved by reading the text back: a left inverse exists only for an
    /// injective map. Random keys over an alphabet made of the notation's own delimiters, escapes, NUL,
    /// newlines and a non-ASCII letter.
    @Test func distinctKeysNeverPrintAlike() {
        var random = SplitMix64(seed: 18)
        let alphabet: [Character] = ["a", "b", "=", ",", "{", "}", "\"", "\\", "\n", "\r\n", "\u{0}", " ", "é", "n", "0"]
        func text(_ maxLength: Int) -> String {
            String((0..<Int(random.next() % UInt64(maxLength + 1))).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
        }
        var seen: [String: SeriesKey] = [:]
        for _ in 0..<20_000 {
            let labels = (0..<Int(random.next() % 4)).map { _ in Label(text(4), text(4)) }
            let key = SeriesKey(name: text(5), labels: labels)
            let printed = key.description
            #expect(SeriesKey(notation: printed) == key, "\(printed.debugDescription) does not read back as \(key)")
            if let earlier = seen[printed] { #expect(earlier == key, "\(earlier) and \(key) both print \(printed.debugDescription)") }
            seen[printed] = key
        }
        #expect(seen.count > 10_000)
    }

    /// Pairs that printed alike before names were escaped.
    @Test func formerCollisionsPrintApart() {
        let pairs: [(SeriesKey, SeriesKey)] = [
            (SeriesKey(name: #"a{b="c"}"#), SeriesKey(name: "a", labels: ["b": "c"])),
            (SeriesKey(name: "a", labels: [#"b="c",d"#: "e"]), SeriesKey(name: "a", labels: ["b": "c", "d": "e"])),
            (SeriesKey(name: "cpu", labels: ["s": "a\u{0}x"]), SeriesKey(name: "cpu", labels: ["s": "a\u{0}y"])),
        ]
        for (left, right) in pairs { #expect(left.description != right.description) }
        #expect(SeriesKey(name: "cpu.usage-ratio", labels: ["host name": "a b"]).description == #"cpu.usage-ratio{host name="a b"}"#)
    }

    /// `SeriesKey(notation:)` reads only what `description` prints.
    @Test func notationThatDescriptionCannotPrintIsRefused() {
        for text in [#"a{"#, #"a{b="c""#, #"a{b="c"}x"#, #"a{b=c}"#, #"a{b="c",}"#, #"a{b="\q"}"#, #"a{z="1",b="2"}"#, #"a{b="1",b="2"}"#, "a\\", "a=b", #"a{b="c"#, #"a{b="c\"#] {
            #expect(SeriesKey(notation: text) == nil, "\(text.debugDescription)")
        }
        // A unit separator and "=" in a value are plain characters of the value.
        #expect(SeriesKey(notation: "a{b=\"x\u{1F}y=z\"}") == SeriesKey(name: "a", labels: ["b": "x\u{1F}y=z"]))
    }
}
