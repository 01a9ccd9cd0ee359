import Foundation

/// Turns the evidence for a candidate into one confidence in [0, 1].
///
/// A logistic combination: how large the change is, how far the candidate stands ahead of the next
/// one, how well a known pattern fits, whether its series leads the symptom, and whether the same
/// cause was confirmed before. The weights were set on the synthetic benchmark's dev split so that
/// a confidence of 0.8 is right about four times in five there.
public struct ConfidenceModel: Sendable, Equatable {
    /// Logistic intercept.
    public var bias: Double
    /// Weight of the change size.
    public var strengthWeight: Double
    /// Weight of the lead over the next candidate.
    public var marginWeight: Double
    /// Weight of the pattern score.
    public var patternWeight: Double
    /// Weight of the correlation with the symptom.
    public var correlationWeight: Double
    /// Weight of a confirmed similar past incident.
    public var historyWeight: Double

    /// Creates the value from its parts.
    public init(
        bias: Double = -5.5, strengthWeight: Double = 1.3, marginWeight: Double = 2.0, patternWeight: Double = 1.5,
        correlationWeight: Double = 0.5, historyWeight: Double = 1.5
    ) {
        self.bias = bias
        self.strengthWeight = strengthWeight
        self.marginWeight = marginWeight
        self.patternWeight = patternWeight
        self.correlationWeight = correlationWeight
        self.historyWeight = historyWeight
    }

    /// The evidence of one candidate, each part in its natural range.
    public struct Inputs: Sendable, Equatable {
        /// log(1 + sustained z) of the candidate's key change.
        public var strength: Double
        /// (own score − best other score) / own score, in [−1, 1].
        public var margin: Double
        /// Best pattern score, [0, 1].
        public var pattern: Double
        /// |correlation| with the symptom when the candidate leads or moves with it, [0, 1].
        public var correlation: Double
        /// Similarity of a past incident with this cause that was resolved, [0, 1].
        public var history: Double

        /// Creates the value from its parts.
        public init(strength: Double, margin: Double, pattern: Double, correlation: Double, history: Double) {
            self.strength = strength
            self.margin = margin
            self.pattern = pattern
            self.correlation = correlation
            self.history = history
        }
    }

    /// The confidence for `inputs`.
    public func confidence(_ inputs: Inputs) -> Double {
        let x = bias + strengthWeight * min(inputs.strength, 6) + marginWeight * inputs.margin
            + patternWeight * inputs.pattern + correlationWeight * inputs.correlation + historyWeight * inputs.history
        return 1 / (1 + exp(-x))
    }
}
