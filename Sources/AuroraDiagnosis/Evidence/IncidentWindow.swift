/// The time an analysis looks at: the incident itself and the normal period before it.
package struct IncidentWindow: Sendable, Equatable, Encodable {
    /// First instant of the incident, Unix milliseconds.
    package var start: Int64
    /// Last instant of the incident (included), Unix milliseconds.
    package var end: Int64
    /// How far before `start` the normal behaviour is read, milliseconds.
    package var history: Int64

    /// Throws when the window is empty or reversed.
    package init(start: Int64, end: Int64, history: Int64 = 3_600_000) throws {
        guard end >= start, history > 0 else { throw DiagnosisError.invalidWindow(start: start, end: end) }
        self.start = start
        self.end = end
        self.history = history
    }

    /// The window of an incident group, with `lead` added before its first anomaly (faults start
    /// before detectors notice them).
    package init(group: IncidentGroup, lead: Int64 = 0, history: Int64 = 3_600_000) throws {
        try self.init(start: group.start - max(0, lead), end: group.end, history: history)
    }
}
