import AuroraCore

/// Failures of the machine-learning detectors (isolation forest, LSTM forecaster).
package enum MLDetectorError: AuroraFailure, Equatable {
    /// Saved model state could not be read back: wrong detector, wrong version, truncated or altered bytes.
    case corruptState(detector: String, reason: String)
    /// A configuration value is outside what the detector can work with.
    case invalidConfiguration(detector: String, reason: String)
    /// The series handed to a multivariate detector do not line up with each other or with its model.
    case misalignedSeries(reason: String)

    /// Saved state and misaligned input are data problems; a bad parameter is a configuration problem.
    package var kind: FailureKind {
        switch self {
        case .corruptState, .misalignedSeries: .dataError
        case .invalidConfiguration: .configuration
        }
    }

    /// An operator-readable message naming the detector and what to do.
    package var description: String {
        switch self {
        case .corruptState(let detector, let reason):
            "saved \(detector) model state cannot be restored (\(reason)); drop the stored state to retrain from scratch"
        case .invalidConfiguration(let detector, let reason):
            "invalid \(detector) configuration: \(reason)"
        case .misalignedSeries(let reason):
            "multivariate isolation forest: \(reason); pass the service's series aligned by timestamp"
        }
    }
}
