import AuroraCore

/// One voter of the ensemble.
package struct EnsembleMember: Sendable {
    /// Name shown in events: the detector name, or the rule's configured name.
    package var name: String
    /// The detector, with its own per-series state.
    package var detector: any Detector
    /// Weight of its score in the combined score (decisive members do not enter the mean).
    package var weight: Double
    /// A decisive member's verdict alone makes a point anomalous (configured rules are decisive:
    /// the operator wrote them, so they need no second opinion).
    package var decisive: Bool

    /// A member.
    package init(name: String, detector: any Detector, weight: Double = 1, decisive: Bool = false) {
        self.name = name
        self.detector = detector
        self.weight = weight
        self.decisive = decisive
    }
}
