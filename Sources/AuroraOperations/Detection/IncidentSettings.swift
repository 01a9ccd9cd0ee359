import AuroraConfig

/// How anomaly events become incidents.
package enum IncidentSettings {
    /// Events whose spans come within this gap of an open incident join it (`diagnosis.incident-gap`).
    package static func gapMilliseconds(_ configuration: Configuration) -> Int64 {
        let seconds = configuration.value("diagnosis.incident-gap")?.seconds ?? 300
        return Int64(seconds * 1000)
    }
}
