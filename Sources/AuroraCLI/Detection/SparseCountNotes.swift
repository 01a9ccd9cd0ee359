import AuroraCore
import AuroraDetection

/// After `aurora detect`, a note for each sparse count that paged while judged by its robust spread:
/// the known way such a series pages on noise, and the override that quiets it (README "Sparse
/// counts", SPARSE COUNTS in aurora(1)). Only when the seasonal member judged it, and with a scale
/// floor below its standard deviation: once the override is in place the note has said its piece.
enum SparseCountNotes {
    /// Series listed by name; beyond this many they are counted.
    static let listed = 5
    /// Events a series must have raised: one event may well be the burst worth a look.
    static let minimumEvents = 2

    static func notes(events: [AnomalyEvent], series: [Series], detection: DetectionRun, context: CommandContext) {
        guard (detection.detectors ?? detection.settings.ensembleMembers).contains(SeasonalDetector.name) else { return }
        let counts = Dictionary(grouping: events, by: \.series).mapValues(\.count)
        var named: [(name: String, zeros: Double, events: Int)] = []
        for item in series {
            guard let raised = counts[item.key], raised >= minimumEvents,
                  detection.settings.resolved(for: item.key).seasonal.scaleFloor < 1,
                  let zeros = SparseCount.zeroShare(item.values) else { continue }
            named.append((TerminalText.safe(item.key.description), zeros, raised))
        }
        for entry in named.prefix(listed) {
            let percent = Int((entry.zeros * 100).rounded())
            context.note("note: '\(entry.name)' is a sparse count (\(percent) % zeros) with \(entry.events) events: to the "
                + "seasonal detector a count of 2 can look like a dozen sigmas; if they are noise, judge it by its standard "
                + "deviation (`seasonal: { scale-floor: 1 }` in a detection override; SPARSE COUNTS in aurora(1))")
        }
        if named.count > listed {
            context.note("note: \(named.count - listed) more sparse counts raised events; see SPARSE COUNTS in aurora(1)")
        }
    }
}
