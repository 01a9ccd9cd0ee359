import AuroraCore
/// A known failure pattern: what its symptoms look like, what causes it, what fixes it.
public struct DiagnosisPattern: Sendable, Equatable {
    /// Unique name, as operators and the history use it (`memory leak`).
    public var name: String
    /// One line on what the pattern is.
    public var summary: String
    /// The root cause stated in plain words.
    public var cause: String
    /// The name of the remediation action to recommend (`restart-service`).
    public var remediation: String
    /// The risk tier of the remediation.
    public var risk: RiskTier
    /// What the pattern looks like in the metrics.
    public var symptoms: [PatternSymptom]
    /// Roles expected to deviate in this order (earliest first), when the pattern says so.
    public var onsetOrder: [MetricRole]
    /// Where the pattern came from (a file path or `built-in:<file>`).
    public var source: String

    /// Creates the value from its parts.
    public init(
        name: String, summary: String = "", cause: String, remediation: String, risk: RiskTier,
        symptoms: [PatternSymptom], onsetOrder: [MetricRole] = [], source: String = ""
    ) {
        self.name = name
        self.summary = summary
        self.cause = cause
        self.remediation = remediation
        self.risk = risk
        self.symptoms = symptoms
        self.onsetOrder = onsetOrder
        self.source = source
    }
}

/// One symptom of a pattern: a series selector and the change expected of it, on the candidate service.
public struct PatternSymptom: Sendable, Equatable {
    /// Selects series by role (`latency`, `cpu` …).
    public var role: MetricRole?
    /// Selects series by metric name, `*` as wildcard (`*pool*`), case-insensitive.
    public var metric: String?
    /// Expected direction; nil accepts either.
    public var direction: ChangeDirection?
    /// Without it the pattern does not match at all.
    public var required: Bool
    /// The symptom must *not* be seen (it points to another pattern).
    public var absent: Bool
    /// Share of the pattern score this symptom carries.
    public var weight: Double
    /// The window level must reach this value (in the series' unit), e.g. 0.9 for an error ratio.
    public var minimumLevel: Double?
    /// The window level must be at least this multiple of the baseline.
    public var minimumRatio: Double?

    /// Creates the value from its parts.
    public init(
        role: MetricRole? = nil, metric: String? = nil, direction: ChangeDirection? = nil, required: Bool = false,
        absent: Bool = false, weight: Double = 1, minimumLevel: Double? = nil, minimumRatio: Double? = nil
    ) {
        self.role = role
        self.metric = metric
        self.direction = direction
        self.required = required
        self.absent = absent
        self.weight = weight
        self.minimumLevel = minimumLevel
        self.minimumRatio = minimumRatio
    }

    /// Plain words for reasons: `cpu up`, `*pool* up above 0.9`.
    public var text: String {
        var words = [metric ?? role?.rawValue ?? "any series"]
        if let direction { words.append(direction.rawValue) }
        if let minimumLevel { words.append("to at least \(PatternSymptom.number(minimumLevel))") }
        if let minimumRatio { words.append("at least \(PatternSymptom.number(minimumRatio))× baseline") }
        return words.joined(separator: " ")
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
