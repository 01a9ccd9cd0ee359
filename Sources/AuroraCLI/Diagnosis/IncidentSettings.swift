/// How anomaly events become incidents.
enum IncidentSettings {
    /// Events whose spans come within this gap of an open incident join it (`diagnosis.incident-gap`).
    static func gapMilliseconds(_ context: CommandContext) throws -> Int64 {
        let seconds = try context.configuration().value("diagnosis.incident-gap")?.seconds ?? 300
        return Int64(seconds * 1000)
    }
}
