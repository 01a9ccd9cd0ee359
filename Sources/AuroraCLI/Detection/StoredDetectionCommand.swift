import AuroraCore
import AuroraDetection
import AuroraIngest
import AuroraOperations
import Foundation

extension StoredDetection {
    /// `aurora detect` with no files: one detection pass over the stored series, rendered.
    /// `floor`: the events reported (all are recorded).
    static func run(detection: DetectionRun, floor: ConfidenceFloor, context: CommandContext) async throws -> ExitStatus {
        let storing = !context.arguments.flag("no-store")
        let operations = try context.operations(existingStore: true)
        let outcome = try await detect(detection: detection, store: storing,
                                       serviceLabel: context.arguments.value("service-label") ?? "service",
                                       context: operations)
        if outcome.skipped > 0 { context.note("note: \(outcome.skipped) series were scored by another aurora meanwhile; skipped") }
        if outcome.scoredSeries == 0 { context.note("no new points since the last run") }
        let incidents = storing ? try operations.store.database.read { try EventIncidents.look(up: outcome.events, in: $0) } : EventIncidents()
        let (shown, below) = floor.apply(outcome.events)
        DetectCommand.render(shown, series: outcome.series, incidents: incidents, setAside: outcome.setAside, context: context)
        floor.note(below: below, recorded: storing, context: context)
        MetricInputs.storedCounterNotes(outcome.series, context: context)
        SparseCountNotes.notes(events: shown, series: outcome.series, detection: detection, context: context)
        ShortHistoryNotes.notes(events: shown, detection: detection, context: context)
        return context.arguments.flag("exit-code") && !shown.isEmpty ? .findings : .success
    }
}
