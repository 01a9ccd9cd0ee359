import AuroraCore

/// How urgent a rule's finding is, as configured by the operator.
public enum Severity: String, Sendable, CaseIterable, Comparable {
    case info, warning, critical

    private var rank: Int {
        switch self {
        case .info: return 0
        case .warning: return 1
        case .critical: return 2
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// What every configured rule carries besides its condition: a name for output, the severity of
/// what it finds and the service it concerns (used by diagnosis to route the incident).
public struct RuleIdentity: Sendable, Equatable {
    /// The rule's name as written in the configuration.
    public var name: String
    /// The severity of an anomaly this rule finds.
    public var severity: Severity
    /// The service the rule concerns.
    public var service: String

    /// An identity; the name must be unique among the configured rules.
    public init(name: String, severity: Severity = .warning, service: String) {
        self.name = name
        self.severity = severity
        self.service = service
    }
}

/// Which series a rule applies to: an optional metric name and labels that must be equal.
public struct SeriesMatcher: Sendable, Equatable {
    /// The metric name that must match exactly, or nil for any.
    public var metric: String?
    /// Labels the series must carry with exactly these values.
    public var labels: [String: String]

    /// A matcher; the defaults match every series.
    public init(metric: String? = nil, labels: [String: String] = [:]) {
        self.metric = metric
        self.labels = labels
    }

    /// Whether a series is selected.
    public func matches(_ key: SeriesKey) -> Bool {
        if let metric, metric != key.name { return false }
        for (name, value) in labels where key[label: name] != value { return false }
        return true
    }
}

/// A configured rule: a detector whose score is 1 where its condition holds, and which applies only
/// to the series it selects.
public protocol Rule: Detector {
    /// Name, severity and service.
    var identity: RuleIdentity { get }
    /// Whether this rule watches a series.
    func applies(to key: SeriesKey) -> Bool
}

/// A rule that selects its series with a `SeriesMatcher` (metric name and equal labels).
public protocol MatcherSelectedRule: Rule {
    /// The series the rule watches.
    var matcher: SeriesMatcher { get }
}

extension MatcherSelectedRule {
    /// Whether this rule watches a series: its matcher says so.
    public func applies(to key: SeriesKey) -> Bool { matcher.matches(key) }
}

/// Writes the state of rules that keep none, so restore still checks the owner.
func emptyRuleState(tag: String) -> [UInt8] { StateWriter(tag: tag, version: 1).bytes }

/// Checks the state of a rule that keeps none.
func checkEmptyRuleState(_ bytes: [UInt8], tag: String) throws {
    let reader = try StateReader(bytes, tag: tag, version: 1)
    try reader.finish()
}
