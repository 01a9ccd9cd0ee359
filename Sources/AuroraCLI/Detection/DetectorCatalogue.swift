import AuroraDetection

/// The detectors the CLI offers, and their settings from the configuration.
enum DetectorCatalogue {
    /// Every registered detector.
    static var registry: DetectorRegistry { DetectorRegistry.standard }

    /// Detection settings: the documented defaults (the `detection:` configuration section will
    /// override them).
    static func settings(_ context: CommandContext) throws -> DetectionSettings {
        _ = try context.configuration()
        return DetectionSettings()
    }
}
