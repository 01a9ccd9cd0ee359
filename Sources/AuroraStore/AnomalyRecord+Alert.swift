extension AnomalyRecord {
    /// The detector name of an event recorded from an Alertmanager alert (`aurora watch`'s webhook).
    package static let alertmanagerDetector = "alertmanager"

    /// The source of an event recorded from the Alertmanager alert named `name`.
    package static func alertSource(_ name: String) -> String { "alertmanager: \(name)" }

    /// For an event recorded from an Alertmanager alert, `alert NAME`: the operator's alerting rule that
    /// fired; nil for any other event.
    package var alertRule: String? {
        guard detectors.split(separator: ",").contains(Substring(Self.alertmanagerDetector)) else { return nil }
        let prefix = Self.alertSource("")
        return "alert " + (source.hasPrefix(prefix) ? String(source.dropFirst(prefix.count)) : "?")
    }
}
