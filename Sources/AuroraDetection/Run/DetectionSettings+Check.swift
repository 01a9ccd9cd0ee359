import AuroraCore

extension DetectionSettings {
    /// Builds every statistical detector and the voter from these settings once, throwing the first
    /// `DetectionError` a run would meet: parameters each within their configuration range that
    /// contradict each other (a drift clip not above its slack) or that a detector refuses for a reason
    /// no range states. The configuration check reports it at the block; without it the error came
    /// only when a run built the detector, as a usage error without a location.
    ///
    /// One detector per parameter block of these settings, not the registry's list: the machine-learned
    /// detectors take no settings, and building them (a fresh network) would only slow every start.
    package func checkParameters() throws {
        _ = try RollingZScoreDetector(zscore)
        _ = try MADDetector(mad)
        _ = try PercentileBandDetector(percentile)
        let seasonalDetector = try SeasonalDetector(seasonal)
        _ = try StuckDetector(stuck)
        _ = try DriftDetector(drift, seasonal: seasonal)
        _ = try EnsembleDetector(members: [EnsembleMember(name: SeasonalDetector.name, detector: seasonalDetector)], parameters: ensemble)
    }
}
