import AuroraCore

/// How urgent a rule's finding is, as configured by the operator.
package enum Severity: String, Sendable, CaseIterable, Comparable {
    case info, warning, critical

    private var rank: Int {
        switch self {
        case .info: return 0
        case .warning: return 1
        case .critical: return 2
        }
    }

    package static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// What every configured rule carries besides its condition: a name for output, the severity of
/// what it finds and the service it concerns (used by diagnosis to route the incident).
package struct RuleIdentity: Sendable, Equatable {
    /// The rule's name as written in the configuration.
    package var name: String
    /// The severity of an anomaly this rule finds.
    package var severity: Severity
    /// The service the rule concerns.
    package var service: String

    /// An identity; the name must be unique among the configured rules.
    package init(name: String, severity: Severity = .warning, service: String) {
        self.name = name
        self.severity = severity
        self.service = service
    }
}

/// Which series a rule applies to: an optional metric name and labels that must be equal.
package struct SeriesMatcher: Sendable, Equatable {
    /// The metric name that must match exactly, or nil for any.
    package var metric: String?
    /// Labels the series must carry with exactly these values.
    package var labels: [String: String]

    /// A matcher; the defaults match every series.
    package init(metric: String? = nil, labels: [String: String] = [:]) {
        self.metric = metric
        self.labels = labels
    }

    /// Whether a series is selected.
    package func matches(_ key: SeriesKey) -> Bool {
        if let metric, metric != key.name { return false }
        for (name, value) in labels where key[label: name] != value { return false }
        return true
    }
}

/// A configured rule: a detector whose score is 1 where its condition holds, and which applies only
/// to the series it selects.
package protocol Rule: Detector {
    /// Name, severity and service.
    var identity: RuleIdentity { get }
    /// Whether this rule watches a series.
    func applies(to key: SeriesKey) -> Bool
}

/// A rule that selects its series with a `SeriesMatcher` (metric name and equal labels).
package protocol MatcherSelectedRule: Rule {
    /// The series the rule watches.
    var matcher: SeriesMatcher { get }
}

extension MatcherSelectedRule {
    /// Whether this rule watches a series: its matcher says so.
    package func applies(to key: SeriesKey) -> Bool { matcher.matches(key) }
}

/// Writes the state of rules that keep none, so restore still checks the owner.
func emptyRuleState(tag: String) -> [UInt8] { StateWriter(tag: tag, version: 1).bytes }

/// Checks the state of a rule that keeps none.
func checkEmptyRuleState(_ bytes: [UInt8], tag: String) throws {
    let reader = try StateReader(bytes, tag: tag, version: 1)
    try reader.finish()
}
