import Foundation

/// Turns the evidence for a candidate into one confidence in [0, 1]: the probability that it is the root.
///
/// A logistic regression over four kinds of evidence that mean the same on any system: how large the
/// change is (saturating, and discounted when it is evidence about another service: explained by
/// another service's change, or on an outbound series), whether the service's own resource (CPU,
/// memory, saturation, disk) rose when the incident began rather than a symptom that travels along
/// the calls or a resource that climbed later, whether the key change began with the incident, and how
/// many other services changed at the same time for reasons of their own (a system-wide fluctuation
/// makes any single candidate unreliable); plus whether the same cause was confirmed before. The
/// default weights were fitted on outcomes and chosen by leaving each system out of the fit
/// (`aurora eval-rca … --cross-validate system` over the Nezha development cases and 113 synthetic
/// cases of the aurora-synth/2 dev split, whose caller-only faults teach it that a caller's latency is
/// ambiguous evidence; ridge 0.1, the lowest left-out log loss;
/// docs/diagnosis-evaluation.md has the reliability tables). Evidence whose
/// weight changed sign or size from one left-out system to the next (the lead over the runner-up,
/// pattern fit, correlation with the symptom, corroborating series) is still reported in `Inputs`
/// but does not move the confidence. History is set by hand: no development case has past incidents.
///
/// Three limits apply after the regression (`bounded`), because no fit can vouch for evidence it
/// rarely saw: a change on one series alone, or on a series whose role is unknown, stays below the
/// line where aurora acts without a human; a short history scales the confidence down. The first limit
/// guards against blaming a bystander (one series may carry another service's symptom), so it does not
/// apply when the candidate is the only service that could be the root: nothing else is monitored and
/// the dependency graph names no other service.
package struct ConfidenceModel: Sendable, Equatable {
    /// Logistic intercept.
    package var bias: Double
    /// Weights in `Inputs.features` order.
    package var weights: [Double]

    /// Names of the features, in `weights` order.
    package static let featureNames = ["strength", "resource", "timing", "concurrent", "history"]

    /// Position of the history weight, which is set by hand rather than fitted.
    package static let historyIndex = 4

    /// The weight of a resolved past incident with the same cause (set by hand: see the type's documentation).
    package static let historyWeight = 1.5

    /// The fitted defaults (see the type's documentation).
    package static let fitted = ConfidenceModel(bias: -3.481, weights: [0.983, 7.691, 1.376, -2.470, historyWeight])

    /// Creates a model from its intercept and weights (in `featureNames` order; missing ones are 0).
    package init(bias: Double, weights: [Double]) {
        self.bias = bias
        self.weights = (0..<Self.featureNames.count).map { $0 < weights.count ? weights[$0] : 0 }
    }

    /// The calibrated default model.
    package init() { self = Self.fitted }

    /// The evidence of one candidate, each part in its natural range.
    package struct Inputs: Sendable, Equatable {
        /// Saturating size of the key change: log(1 + z·50/(z + 50)), so at most about 3.9; counted as the
        /// ranking counts it (a change another service's explains, or one on an outbound series, is
        /// evidence about another service: `explainedWeight` of its size).
        package var strength: Double
        /// (own score − best other score) / own score, in [−1, 1].
        package var margin: Double
        /// Best pattern score, [0, 1].
        package var pattern: Double
        /// |correlation| with the symptom when the candidate leads or moves with it, [0, 1].
        package var correlation: Double
        /// Similarity of a past incident with this cause that was resolved, [0, 1].
        package var history: Double
        /// 1 when the change began with the incident (within max(2 steps, 1 minute) of its start),
        /// falling towards 0 the later it began; 0 when it never crossed the onset threshold (a slow
        /// drift, or a change that had begun before and did not start this incident).
        package var timing: Double
        /// The service's largest rise in its own resources (CPU, memory, saturation, disk) that began with
        /// the incident: each rise's strength as a share of the largest possible strength, times its
        /// timing (1 when it began within max(2 steps, 1 minute) of the start, less the later), [0, 1].
        /// A resource that climbs minutes into the incident followed it rather than caused it.
        package var resource: Double
        /// log(1 + changed series of the service that nothing else explains, beyond the first).
        package var corroboration: Double
        /// Other services that changed in the same window for reasons of their own (a changed series
        /// that no other service's change explains). Many of them mean a system-wide fluctuation, in
        /// which the largest change is often a bystander's.
        package var concurrentServices: Int
        /// Changed series of the service (1 = one series alone).
        package var seriesCount: Int
        /// Whether the key series' role is known (configured or read from its name).
        package var roleKnown: Bool
        /// History points behind the key series' baseline.
        package var historyPoints: Int
        /// Services that could be the root: those the incident's series name plus those of the dependency
        /// graph (0 when unknown, read as several).
        package var candidateServices: Int

        /// Creates the inputs from their parts.
        package init(strength: Double, margin: Double, pattern: Double, correlation: Double, history: Double, timing: Double = 1,
                    resource: Double = 0, corroboration: Double = 0, concurrentServices: Int = 0, seriesCount: Int = 2,
                    roleKnown: Bool = true, historyPoints: Int = ConfidenceModel.reliableHistoryPoints, candidateServices: Int = 0) {
            self.strength = strength
            self.margin = margin
            self.pattern = pattern
            self.correlation = correlation
            self.history = history
            self.timing = timing
            self.resource = resource
            self.corroboration = corroboration
            self.concurrentServices = concurrentServices
            self.seriesCount = seriesCount
            self.roleKnown = roleKnown
            self.historyPoints = historyPoints
            self.candidateServices = candidateServices
        }

        /// Whether no other service could be the root (the service cannot be the wrong one).
        package var soleCandidate: Bool { candidateServices == 1 }

        /// The inputs as a feature vector, in the weights' order (without the intercept). The count of
        /// concurrent services enters as log(1 + n): the tenth bystander says less than the first.
        package var features: [Double] {
            [min(max(strength, 0), 6), min(max(resource, 0), 1), min(max(timing, 0), 1), log1p(Double(max(concurrentServices, 0))),
             min(max(history, 0), 1)]
        }
    }

    /// History points from which a series' normal spread is trusted.
    package static let reliableHistoryPoints = 8

    /// The regression's probability for `inputs`, before the limits.
    package func probability(_ inputs: Inputs) -> Double {
        var x = bias
        for (weight, feature) in zip(weights, inputs.features) { x += weight * feature }
        return 1 / (1 + exp(-x))
    }

    /// Why a confidence was limited.
    package enum Limit: Sendable, Equatable {
        case singleSeries, unknownRole, shortHistory(points: Int)
    }

    /// The confidence for `inputs`: the probability, kept below `actLine` (where aurora acts without a
    /// human) for an unknown role or for one series alone (unless the candidate is the only service that
    /// could be the root), and scaled down by a short history.
    package func confidence(_ inputs: Inputs, actLine: Double = 0.7) -> Double { bounded(inputs, actLine: actLine).value }

    /// The confidence and the limits that applied.
    package func bounded(_ inputs: Inputs, actLine: Double = 0.7) -> (value: Double, limits: [Limit]) {
        var value = probability(inputs)
        var limits: [Limit] = []
        if !inputs.roleKnown || (inputs.seriesCount <= 1 && !inputs.soleCandidate) {
            let ceiling = actLine.nextDown
            if value > ceiling {
                value = ceiling
                limits.append(inputs.roleKnown ? .singleSeries : .unknownRole)
            }
        }
        if inputs.historyPoints < Self.reliableHistoryPoints {
            value *= Double(max(inputs.historyPoints, 0)) / Double(Self.reliableHistoryPoints)
            limits.append(.shortHistory(points: inputs.historyPoints))
        }
        return (value, limits)
    }
}
