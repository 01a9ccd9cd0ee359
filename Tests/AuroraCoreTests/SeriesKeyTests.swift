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
            #expect(Self.parse(printed) == key, "\(printed.debugDescription) does not read back as \(key)")
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

    /// Reads the notation back (the inverse of `description`), or nil when it is not well formed.
    static func parse(_ text: String) -> SeriesKey? {
        var scalars = Array(text.unicodeScalars)[...]
        func unescape(_ scalar: Unicode.Scalar) -> Unicode.Scalar { scalar == "n" ? "\n" : scalar == "0" ? "\u{0}" : scalar }
        func name(until stops: Set<Unicode.Scalar>, endAllowed: Bool = false) -> String? {
            var out = String.UnicodeScalarView()
            while let scalar = scalars.first {
                if stops.contains(scalar) { return String(out) }
                scalars.removeFirst()
                if scalar == "\\" {
                    guard let next = scalars.popFirst() else { return nil }
                    out.append(unescape(next))
                } else {
                    out.append(scalar)
                }
            }
            return endAllowed ? String(out) : nil
        }
        guard let metric = name(until: ["{"], endAllowed: true) else { return nil }
        guard scalars.popFirst() == "{" else { return scalars.isEmpty ? SeriesKey(name: metric) : nil }
        var labels: [Label] = []
        while true {
            guard let labelName = name(until: ["="]), scalars.popFirst() == "=", scalars.popFirst() == "\"" else { return nil }
            var value = String.UnicodeScalarView()
            while true {
                guard let scalar = scalars.popFirst() else { return nil }
                if scalar == "\"" { break }
                if scalar == "\\" {
                    guard let next = scalars.popFirst() else { return nil }
                    value.append(unescape(next))
                } else {
                    value.append(scalar)
                }
            }
            labels.append(Label(labelName, String(value)))
            switch scalars.popFirst() {
            case ",": continue
            case "}": return scalars.isEmpty ? SeriesKey(name: metric, labels: labels) : nil
            default: return nil
            }
        }
    }
}
