import AuroraCore
import AuroraDetection

/// After `aurora detect`, a note when events were raised on less history than the ensemble remembers
/// (its novelty horizon): until a series has filled it, its routine extremes are not known, and on
/// real series with no incident such events are several times as common as later (README "Short
/// histories", SHORT HISTORIES in aurora(1)). The events stand; the note says how much to trust them.
enum ShortHistoryNotes {
    static func notes(events: [AnomalyEvent], detection: DetectionRun, context: CommandContext) {
        let short = events.filter(\.shortHistory)
        guard !short.isEmpty else { return }
        let series = Set(short.map(\.series)).count
        let memory = detection.settings.ensemble.noveltyHorizon
        context.note("note: \(short.count) of \(Plural.count(events.count, "event")) came from \(Plural.count(series, "series", "series")) "
            + "with less history than the detector remembers (\(memory) points): their routine extremes are not "
            + "known yet, and on real series such events are several times as common as later; weigh them as leads "
            + "(short_history in --json; SHORT HISTORIES in aurora(1))")
    }
}
