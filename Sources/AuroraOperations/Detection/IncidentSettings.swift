import AuroraConfig

/// How anomaly events become incidents.
package enum IncidentSettings {
    /// Events whose spans come within this gap of an open incident join it (`diagnosis.incident-gap`).
    package static func gapMilliseconds(_ configuration: Configuration) -> Int64 {
        let seconds = configuration.value("diagnosis.incident-gap")?.seconds ?? 300
        return Int64(seconds * 1000)
    }

    /// The score an event needs to open an incident (`diagnosis.incident-min-score`, default 0.5: twice
    /// the ensemble's alerting threshold); weaker events join an incident a stronger one opened. On the
    /// NAB development files, events at or above it were twice as often inside a labelled anomaly window
    /// as weaker ones (53% against 28%), and a file opens about as many incidents as it has windows
    /// instead of one per event.
    package static func openingScore(_ configuration: Configuration) -> Double {
        configuration.value("diagnosis.incident-min-score")?.double ?? 0.5
    }
}
