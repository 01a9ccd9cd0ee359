import AuroraCore

extension IncidentGrouping {
    /// The grouping rule of `diagnosis:` (`incident-gap`, `incident-min-score`; defaults in the schema).
    ///
    /// The opening score (0.5 by default: twice the ensemble's alerting threshold) keeps weak events
    /// from opening incidents of their own: on the NAB development files, events at or above it were
    /// twice as often inside a labelled anomaly window as weaker ones (53% against 28%), and a file
    /// opens about as many incidents as it has windows instead of one per event.
    package init(configuration: Configuration) throws {
        self.init(gap: Int64(try configuration.seconds("diagnosis.incident-gap") * 1000),
                  openingScore: try configuration.number("diagnosis.incident-min-score"))
    }
}
