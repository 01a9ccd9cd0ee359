/// A NAB scoring profile: the weights of a true positive, a false positive and a false negative.
///
/// The values are NAB v1.1's `config/profiles.json`.
package struct NABProfile: Sendable, Equatable, Hashable {
    /// Profile name as NAB writes it.
    package var name: String
    /// Reward of a detected window (at its left edge).
    package var truePositiveWeight: Double
    /// Cost of a detection outside every window (far from the preceding window).
    package var falsePositiveWeight: Double
    /// Cost of a window with no detection.
    package var falseNegativeWeight: Double

    /// A profile.
    package init(name: String, truePositiveWeight: Double, falsePositiveWeight: Double, falseNegativeWeight: Double) {
        self.name = name
        self.truePositiveWeight = truePositiveWeight
        self.falsePositiveWeight = falsePositiveWeight
        self.falseNegativeWeight = falseNegativeWeight
    }

    /// NAB's standard profile.
    package static let standard = NABProfile(name: "standard", truePositiveWeight: 1, falsePositiveWeight: 0.11, falseNegativeWeight: 1)
    /// Rewards detectors with few false positives.
    package static let rewardLowFalsePositives = NABProfile(name: "reward_low_FP_rate", truePositiveWeight: 1, falsePositiveWeight: 0.22, falseNegativeWeight: 1)
    /// Rewards detectors that miss few windows.
    package static let rewardLowFalseNegatives = NABProfile(name: "reward_low_FN_rate", truePositiveWeight: 1, falsePositiveWeight: 0.11, falseNegativeWeight: 2)
    /// The three profiles, in NAB's order.
    package static let all: [NABProfile] = [.standard, .rewardLowFalsePositives, .rewardLowFalseNegatives]
}
