import AuroraCore
import AuroraDetection

/// `aurora detect --min-confidence P`: the events reported, and counted by --exit-code, are those at
/// least `P` likely to mark a real fault. The rest are still recorded (the database keeps everything
/// detected; incidents open by `diagnosis.incident-min-score`), only not shown. Events only configured
/// rules raised have no fitted confidence and are always shown: a rule is the operator's own statement.
struct ConfidenceFloor {
    /// The floor, nil without the option.
    let minimum: Double?

    init(_ context: CommandContext) throws {
        guard let minimum = context.arguments.double("min-confidence") else {
            minimum = nil
            return
        }
        guard (0...1).contains(minimum) else { throw UsageError("--min-confidence takes a probability between 0 and 1, not \(minimum)") }
        self.minimum = minimum
    }

    /// The events shown, and how many fell below the floor.
    func apply(_ events: [AnomalyEvent]) -> (shown: [AnomalyEvent], below: Int) {
        guard let minimum else { return (events, 0) }
        let shown = events.filter { event in event.confidence.map { $0 >= minimum } ?? true }
        return (shown, events.count - shown.count)
    }

    /// Says on standard error how many events the floor hid.
    func note(below: Int, recorded: Bool, context: CommandContext) {
        guard let minimum, below > 0 else { return }
        context.note("note: \(below) event\(below == 1 ? "" : "s") below --min-confidence \(minimum) not shown"
                     + (recorded ? " (recorded as usual)" : ""))
    }
}
