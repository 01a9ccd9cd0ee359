import AuroraCore
/// A known failure pattern: what its symptoms look like, what causes it, what fixes it.
package struct DiagnosisPattern: Sendable, Equatable {
    /// Unique name, as operators and the history use it (`memory leak`).
    package var name: String
    /// One line on what the pattern is.
    package var summary: String
    /// The root cause stated in plain words.
    package var cause: String
    /// The name of the remediation action to recommend (`restart-service`).
    package var remediation: String
    /// The risk tier of the remediation.
    package var risk: RiskTier
    /// What the pattern looks like in the metrics.
    package var symptoms: [PatternSymptom]
    /// Roles expected to deviate in this order (earliest first), when the pattern says so.
    package var onsetOrder: [MetricRole]
    /// Where the pattern came from (a file path or `built-in:<file>`).
    package var source: String

    /// Creates the value from its parts.
    package init(
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
package struct PatternSymptom: Sendable, Equatable {
    /// Selects series by role (`latency`, `cpu` …).
    package var role: MetricRole?
    /// Selects series by metric name, `*` as wildcard (`*pool*`), case-insensitive.
    package var metric: String?
    /// Expected direction; nil accepts either.
    package var direction: ChangeDirection?
    /// Without it the pattern does not match at all.
    package var required: Bool
    /// The symptom must *not* be seen (it points to another pattern).
    package var absent: Bool
    /// Share of the pattern score this symptom carries.
    package var weight: Double
    /// The window level must reach this value (in the series' unit), e.g. 0.9 for an error ratio.
    package var minimumLevel: Double?
    /// The window level must be at least this multiple of the baseline.
    package var minimumRatio: Double?

    /// Creates the value from its parts.
    package init(
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
    package var text: String {
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
