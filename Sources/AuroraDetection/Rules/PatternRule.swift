import AuroraCore

/// Pattern match on labels and values: the rule applies to series whose labels match regular
/// expressions (whole-value match, as Prometheus `=~` does) and flags points whose value, written
/// as text, matches the value pattern (for status codes, error counters, enum-like gauges).
/// With no value pattern every point of a matching series is flagged.
package struct PatternRule: Rule {
    package static let name = "pattern"
    package let identity: RuleIdentity
    /// Label name → regular expression its value must match entirely.
    package let labelPatterns: [String: String]
    /// Regular expression the value's text must match entirely, or nil to flag every point.
    package let valuePattern: String?
    package var threshold: Double { 0.5 }

    private let labelRegexes: [(name: String, regex: CompiledPattern)]
    private let valueRegex: CompiledPattern?

    /// A rule; throws `DetectionError.invalidPattern` when a pattern does not compile.
    package init(identity: RuleIdentity, labelPatterns: [String: String] = [:], valuePattern: String? = nil) throws {
        self.identity = identity
        self.labelPatterns = labelPatterns
        self.valuePattern = valuePattern
        labelRegexes = try labelPatterns.sorted { $0.key < $1.key }.map { name, pattern in
            (name, try CompiledPattern(pattern, rule: identity.name))
        }
        valueRegex = try valuePattern.map { try CompiledPattern($0, rule: identity.name) }
    }

    package func applies(to key: SeriesKey) -> Bool {
        for (name, regex) in labelRegexes {
            guard let value = key[label: name], regex.matchesWhole(value) else { return false }
        }
        return true
    }

    package mutating func score(
        timestamps: UnsafeBufferPointer<Int64>,
        values: UnsafeBufferPointer<Double>,
        into scores: UnsafeMutableBufferPointer<Double>
    ) {
        guard let valueRegex else {
            for index in 0..<values.count { scores[index] = values[index].isNaN ? 0 : 1 }
            return
        }
        for index in 0..<values.count {
            let value = values[index]
            scores[index] = !value.isNaN && valueRegex.matchesWhole(Self.text(value)) ? 1 : 0
        }
    }

    /// Integral values print without a fraction (`503`, not `503.0`), as operators write them.
    static func text(_ value: Double) -> String {
        if value == value.rounded(), Swift.abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    package func saveState() throws -> [UInt8] { emptyRuleState(tag: Self.name) }

    package mutating func restoreState(_ bytes: [UInt8]) throws { try checkEmptyRuleState(bytes, tag: Self.name) }
}

/// A compiled regular expression that can be shared between tasks.
struct CompiledPattern: @unchecked Sendable {
    // `Regex` holds an immutable compiled program; matching never mutates it, so sharing is safe.
    private let regex: Regex<AnyRegexOutput>

    init(_ pattern: String, rule: String) throws {
        do { regex = try Regex(pattern) } catch { throw DetectionError.invalidPattern(rule: rule, pattern: pattern) }
    }

    func matchesWhole(_ text: String) -> Bool { (try? regex.wholeMatch(in: text)) != nil }
}
