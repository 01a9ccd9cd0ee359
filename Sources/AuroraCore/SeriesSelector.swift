/// A Prometheus-style series selector: `http_requests_total{service="checkout",code!="200",path=~"/api/.*"}`.
///
/// Semantics follow Prometheus: the metric name is optional (`{service="a"}` selects every metric of
/// that service), `__name__` may be matched like any label, regular expressions are anchored at both
/// ends, and a label a series does not carry counts as the empty string (so `{zone=""}` selects series
/// without a `zone` label).
package struct SeriesSelector: Sendable, CustomStringConvertible {
    /// How a matcher compares a label value.
    package enum Operator: String, Sendable, CaseIterable {
        case equal = "="
        case notEqual = "!="
        case matchesRegex = "=~"
        case notMatchesRegex = "!~"
    }

    /// One `label op "value"` clause.
    package struct Matcher: Sendable, CustomStringConvertible {
        /// The label compared (`__name__` for the metric name).
        package let label: String
        /// How it is compared.
        package let op: Operator
        /// The literal or regular expression it is compared with.
        package let value: String
        let pattern: AnchoredPattern?

        /// Whether a label value (empty when absent) satisfies this matcher.
        package func matches(_ labelValue: String) -> Bool {
            switch op {
            case .equal: return labelValue == value
            case .notEqual: return labelValue != value
            case .matchesRegex: return pattern?.matches(labelValue) ?? false
            case .notMatchesRegex: return !(pattern?.matches(labelValue) ?? false)
            }
        }

        /// The clause as written in a selector: `label=~"value"`.
        package var description: String { "\(label)\(op.rawValue)\"\(SeriesKey.escape(value))\"" }
    }

    /// The metric name before the braces, or nil for `{…}` selectors.
    package let metricName: String?
    /// The clauses inside the braces, in written order.
    package let matchers: [Matcher]

    /// Parses a selector. `origin` names where the text came from (an option such as `--match`) and
    /// becomes the file part of the error location; columns count bytes from 1. Errors are `.usage`
    /// failures: a selector is something the operator typed.
    package init(parsing text: String, origin: String = "selector") throws(LocatedError) {
        var parser = SelectorParser(text: text, origin: origin, kind: .usage)
        let parsed = try parser.parseSelector(allowOperators: true)
        metricName = parsed.name
        matchers = parsed.matchers
    }

    /// Whether a series key is selected.
    package func matches(_ key: SeriesKey) -> Bool {
        if let metricName, metricName != key.name { return false }
        for matcher in matchers {
            let value = matcher.label == "__name__" ? key.name : (key[label: matcher.label] ?? "")
            if !matcher.matches(value) { return false }
        }
        return true
    }

    /// The selector in canonical form; parsing it again gives the same selector.
    package var description: String {
        let inner = matchers.map(\.description).joined(separator: ",")
        if let metricName { return matchers.isEmpty ? metricName : "\(metricName){\(inner)}" }
        return "{\(inner)}"
    }

    /// Parses a series written in Prometheus notation (`name{a="x",b="y"}`, only `=`), as found in
    /// wide CSV headers and in `series show` arguments.
    /// Errors are `.dataError` failures (the notation comes from a file).
    package static func seriesKey(fromNotation text: String, origin: String = "series") throws(LocatedError) -> SeriesKey {
        var parser = SelectorParser(text: text, origin: origin, kind: .dataError)
        let parsed = try parser.parseSelector(allowOperators: false)
        var name = parsed.name
        var labels: [Label] = []
        for matcher in parsed.matchers {
            if matcher.label == "__name__" { name = matcher.value } else { labels.append(Label(matcher.label, matcher.value)) }
        }
        guard let name, !name.isEmpty else {
            throw LocatedError(SourceLocation(file: origin, line: 1, column: 1),
                               "series has no metric name (expected name{label=\"value\",…})", kind: .dataError)
        }
        return SeriesKey(name: name, labels: labels)
    }
}

/// An anchored regular expression. Compiled once; Swift's `Regex` is an immutable value but its type
/// erased output is not declared `Sendable`, so the wrapper vouches for it: nothing mutates it after init.
final class AnchoredPattern: @unchecked Sendable {
    private let regex: Regex<AnyRegexOutput>

    init(_ regex: Regex<AnyRegexOutput>) { self.regex = regex }

    func matches(_ text: String) -> Bool { (try? regex.wholeMatch(in: text)) != nil }
}

/// Recursive-descent parser over the selector's bytes, tracking columns for error messages.
private struct SelectorParser {
    let bytes: [UInt8]
    let origin: String
    let kind: FailureKind
    var position = 0

    init(text: String, origin: String, kind: FailureKind) {
        bytes = Array(text.utf8)
        self.origin = origin
        self.kind = kind
    }

    private func fail(_ message: String, at column: Int? = nil) -> LocatedError {
        LocatedError(SourceLocation(file: origin, line: 1, column: (column ?? position) + 1), message, kind: kind)
    }

    private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skipSpaces() {
        while let byte = current, byte == 0x20 || byte == 0x09 { position += 1 }
    }

    private static func isNameStart(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F || byte == 0x3A
    }

    private static func isNameByte(_ byte: UInt8) -> Bool { isNameStart(byte) || (byte >= 0x30 && byte <= 0x39) }

    private mutating func readName(allowColon: Bool) -> String? {
        let start = position
        guard let first = current, Self.isNameStart(first), allowColon || first != 0x3A else { return nil }
        while let byte = current, Self.isNameByte(byte), allowColon || byte != 0x3A { position += 1 }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    mutating func parseSelector(allowOperators: Bool) throws(LocatedError) -> (name: String?, matchers: [SeriesSelector.Matcher]) {
        skipSpaces()
        guard !bytes.isEmpty, current != nil else { throw fail("empty selector (expected name{label=\"value\"})") }
        let name = readName(allowColon: true)
        skipSpaces()
        var matchers: [SeriesSelector.Matcher] = []
        if current == UInt8(ascii: "{") {
            position += 1
            skipSpaces()
            while current != UInt8(ascii: "}") {
                guard current != nil else { throw fail("unterminated selector (expected '}')") }
                matchers.append(try parseMatcher(allowOperators: allowOperators))
                skipSpaces()
                if current == UInt8(ascii: ",") {
                    position += 1
                    skipSpaces()
                } else if current != UInt8(ascii: "}") {
                    throw fail(current == nil ? "unterminated selector (expected '}')"
                                              : "unexpected \(describe(current)) (expected ',' or '}')")
                }
            }
            position += 1
            skipSpaces()
        } else if name == nil {
            throw fail("unexpected \(describe(current)) (expected a metric name or '{')")
        }
        if current != nil { throw fail("unexpected \(describe(current)) after the selector (expected end of selector)") }
        if name == nil && matchers.isEmpty { throw fail("empty selector {} (expected at least one label matcher)", at: 0) }
        return (name, matchers)
    }

    private mutating func parseMatcher(allowOperators: Bool) throws(LocatedError) -> SeriesSelector.Matcher {
        guard let label = readName(allowColon: false) else {
            throw fail("unexpected \(describe(current)) (expected a label name)")
        }
        skipSpaces()
        let opColumn = position
        let op: SeriesSelector.Operator
        switch (current, position + 1 < bytes.count ? bytes[position + 1] : nil) {
        case (UInt8(ascii: "="), UInt8(ascii: "~")): op = .matchesRegex; position += 2
        case (UInt8(ascii: "!"), UInt8(ascii: "=")): op = .notEqual; position += 2
        case (UInt8(ascii: "!"), UInt8(ascii: "~")): op = .notMatchesRegex; position += 2
        case (UInt8(ascii: "="), _): op = .equal; position += 1
        default: throw fail("unexpected \(describe(current)) (expected one of =, !=, =~, !~)")
        }
        if !allowOperators && op != .equal {
            throw fail("operator \(op.rawValue) in a series name (expected only label=\"value\")", at: opColumn)
        }
        skipSpaces()
        let valueColumn = position
        let value = try readQuoted()
        var pattern: AnchoredPattern?
        if op == .matchesRegex || op == .notMatchesRegex {
            do {
                pattern = AnchoredPattern(try Regex(value))
            } catch {
                throw fail("invalid regular expression \"\(value)\": \(error) (expected a valid regular expression)", at: valueColumn)
            }
        }
        return SeriesSelector.Matcher(label: label, op: op, value: value, pattern: pattern)
    }

    private mutating func readQuoted() throws(LocatedError) -> String {
        guard let quote = current, quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") || quote == UInt8(ascii: "`") else {
            throw fail("unexpected \(describe(current)) (expected a quoted label value)")
        }
        let start = position
        position += 1
        var out: [UInt8] = []
        while true {
            guard let byte = current else {
                throw fail("unterminated string (expected closing \(Character(Unicode.Scalar(quote))))", at: start)
            }
            position += 1
            if byte == quote { break }
            if byte == UInt8(ascii: "\\") && quote != UInt8(ascii: "`") {
                guard let escaped = current else { continue }
                position += 1
                switch escaped {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                default: out.append(escaped)
                }
            } else {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private func describe(_ byte: UInt8?) -> String {
        guard let byte else { return "end of selector" }
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x\(String(byte, radix: 16, uppercase: true))"
    }
}
