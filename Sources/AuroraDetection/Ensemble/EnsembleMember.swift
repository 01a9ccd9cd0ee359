import AuroraCore

/// One voter of the ensemble.
public struct EnsembleMember: Sendable {
    /// Name shown in events: the detector name, or the rule's configured name.
    public var name: String
    /// The detector, with its own per-series state.
    public var detector: any Detector
    /// Weight of its score in the combined score (decisive members do not enter the mean).
    public var weight: Double
    /// A decisive member's verdict alone makes a point anomalous (configured rules are decisive:
    /// the operator wrote them, so they need no second opinion).
    public var decisive: Bool

    /// A member.
    public init(name: String, detector: any Detector, weight: Double = 1, decisive: Bool = false) {
        self.name = name
        self.detector = detector
        self.weight = weight
        self.decisive = decisive
    }
}
