/// How well one pattern fits one candidate service.
public struct PatternMatch: Sendable, Equatable {
    /// The pattern matched.
    public var pattern: DiagnosisPattern
    /// In [0, 1]: share of the symptom weight seen, adjusted for onset order and contradictions.
    public var score: Double
    /// Why, in plain words (`cpu up (z 12.3)`, `no load change expected, but load up`).
    public var reasons: [String]
}
