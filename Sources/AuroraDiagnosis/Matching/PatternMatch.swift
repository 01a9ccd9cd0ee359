/// How well one pattern fits one candidate service.
package struct PatternMatch: Sendable, Equatable {
    /// The pattern matched.
    package var pattern: DiagnosisPattern
    /// In [0, 1]: share of the symptom weight seen, adjusted for onset order and contradictions.
    package var score: Double
    /// Why, in plain words (`cpu up (z 12.3)`, `no load change expected, but load up`).
    package var reasons: [String]
}
