import AuroraCore

/// Maps detector names (as typed after `--detector`) to factories that build a fresh detector from
/// the settings resolved for one series.
package struct DetectorRegistry: Sendable {
    /// Builds a detector with fresh state.
    package typealias Factory = @Sendable (DetectionSettings) throws -> any Detector

    private var factories: [String: Factory] = [:]
    /// Names in registration order, for help text and `--detector all`.
    package private(set) var names: [String] = []

    /// An empty registry.
    package init() {}

    /// The statistical detectors of this module: `zscore`, `mad`, `percentile`, `seasonal`, `stuck`, `drift`.
    package static let standard: DetectorRegistry = {
        var registry = DetectorRegistry()
        registry.register(RollingZScoreDetector.name) { try RollingZScoreDetector($0.zscore) }
        registry.register(MADDetector.name) { try MADDetector($0.mad) }
        registry.register(PercentileBandDetector.name) { try PercentileBandDetector($0.percentile) }
        registry.register(SeasonalDetector.name) { try SeasonalDetector($0.seasonal) }
        registry.register(StuckDetector.name) { try StuckDetector($0.stuck) }
        registry.register(DriftDetector.name) { try DriftDetector($0.drift, seasonal: $0.seasonal) }
        // Machine-learned detectors, available by name but not in the default ensemble: on the NAB
        // development subset each alone scores below `seasonal`, and adding either lowered the ensemble.
        registry.register(IsolationForestDetector.name) { _ in IsolationForestDetector() }
        registry.register(LSTMForecasterDetector.name) { _ in LSTMForecasterDetector() }
        return registry
    }()

    /// Adds (or replaces) a detector; the ML detectors register themselves this way.
    package mutating func register(_ name: String, factory: @escaping Factory) {
        if factories[name] == nil { names.append(name) }
        factories[name] = factory
    }

    /// A copy with one more detector.
    package func registering(_ name: String, factory: @escaping Factory) -> DetectorRegistry {
        var copy = self
        copy.register(name, factory: factory)
        return copy
    }

    /// Whether a name is known.
    package func contains(_ name: String) -> Bool { factories[name] != nil }

    /// A fresh detector; throws `DetectionError.unknownDetector` for an unknown name.
    package func make(_ name: String, settings: DetectionSettings) throws -> any Detector {
        guard let factory = factories[name] else { throw DetectionError.unknownDetector(name, known: names) }
        return try factory(settings)
    }
}
