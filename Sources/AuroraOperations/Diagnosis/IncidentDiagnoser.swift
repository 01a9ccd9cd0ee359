import AuroraCore
import AuroraDiagnosis
import AuroraLearning
import AuroraStore
import Foundation

/// Diagnoses one stored incident and records the result on it: through a learned pattern when one
/// immunises it, else by full root-cause analysis (plus the optional AI hypothesis).
package struct IncidentDiagnoser {
    /// How an incident was diagnosed.
    package enum Outcome {
        /// A learned pattern matched: root-cause analysis skipped.
        case immunised(Immunity)
        /// Full root-cause analysis (recorded on the incident).
        case analysed(Diagnosis)
        /// Not enough data around the incident: why.
        case noData(String)
    }

    let analyzer: RootCauseAnalyzer
    let learner: PatternLearner
    let tiers: ConfidenceTiers
    let historyWindow: Int64
    let hypothesis: HypothesisClient?

    let context: OperationsContext
    /// Whether a diagnosis that concludes what the incident's last one did (same root cause, cause and
    /// tier; the confidence may have moved) is written to the timeline and the audit trail again. The
    /// loop turns this off: it diagnoses open incidents again and again (`aurora heal` on every run,
    /// `aurora watch` when something changed or every few minutes), and an escalated incident must not
    /// add a timeline entry and an audit entry each time (the stored diagnosis and
    /// confidence are refreshed all the same). `aurora diagnose`, asked by a person, records each time.
    package var recordsRepeatedConclusions = true

    /// `excluding`: incidents not to use as history (the ones being diagnosed again).
    package init(context: OperationsContext, excluding ids: [Int64] = []) throws {
        self.context = context
        let configuration = context.configuration
        let history = try context.store.database.read { try AnalyzerFactory.history(in: $0) }
        analyzer = try AnalyzerFactory.analyzer(context, history: history.filter { !ids.contains(Int64($0.id) ?? -1) })
        learner = try LearningBridge.learner(configuration)
        tiers = try AnalyzerFactory.options(configuration).tiers
        historyWindow = Int64(try configuration.seconds("diagnosis.history-window") * 1000)
        hypothesis = try AnalyzerFactory.hypothesisClient(context)
    }

    /// Diagnoses `incident` and records the outcome on it.
    package func diagnose(_ incident: IncidentRecord) async throws -> Outcome {
        if let immunity = try Immunity.check(incident, learner: learner, tiers: tiers, repeatingConclusion: recordsRepeatedConclusions,
                                             context: context) {
            return .immunised(immunity)
        }
        let db = context.store.database
        let window = try IncidentWindow(start: incident.start, end: max(incident.end, incident.start + 1), history: historyWindow)
        let (series, focus, silences) = try db.read { db -> ([Series], [SeriesKey], [Silence]) in
            let events = try IncidentStore.events(of: incident.id, in: db)
            // The anomalies' series are the symptom; absent-data events are silences, which have no change to rank.
            let focusKeys = Set(events.filter { !IncidentSilences.isSilence($0) }.map(\.seriesKey))
            var loaded: [(stored: StoredSeries, series: Series)] = []
            for stored in try SeriesStore.list(in: db) {
                let series = try SeriesStore.load(stored, from: window.start - window.history, to: window.end + 1, in: db)
                guard !series.isEmpty else { continue }
                loaded.append((stored, series))
            }
            let silences = try IncidentSilences.silences(of: events, loaded: loaded, lookback: window.history, in: db)
            return (loaded.map(\.series), loaded.map(\.stored.key).filter { focusKeys.contains($0.description) }, silences)
        }
        var diagnosis: Diagnosis
        do {
            diagnosis = try analyzer.analyze(series, window: window, focus: focus, silences: silences)
        } catch let error as DiagnosisError {
            return .noData(error.description)
        }
        var note: String?
        if let hypothesis {
            let outcome = await hypothesis.ask(about: diagnosis)
            diagnosis = HypothesisClient.apply(outcome, to: diagnosis)
            if case .fallback(let reason) = outcome { note = "AI hypothesis unavailable: \(reason); used the other evidence" }
        }
        try Self.record(diagnosis, on: incident, note: note, repeatingConclusion: recordsRepeatedConclusions, context: context)
        return .analysed(diagnosis)
    }

    /// Records a diagnosis on its incident (timeline, summary, audit) in one transaction. With
    /// `repeatingConclusion` false, a diagnosis that concludes what the last recorded one did only
    /// refreshes the stored diagnosis and confidence.
    package static func record(_ diagnosis: Diagnosis, on incident: IncidentRecord, note: String?, repeatingConclusion: Bool = true,
                               context: OperationsContext) throws {
        let now = context.clock.now()
        let json = try encode(diagnosis)
        let top = diagnosis.top
        // A cause resting on series that stopped reporting has no measured confidence: its 0 is not shown as one.
        let summary = top.map { "root cause: \($0.service) — \($0.cause) (confidence "
            + ($0.restsOnSilence ? "not measured" : String(format: "%.0f%%", $0.confidence * 100)) + ", \($0.tier.rawValue))" }
            ?? "no root cause found"
        try context.store.database.write { db in
            if !repeatingConclusion, note == nil, let current = try IncidentStore.get(incident.id, in: db),
               current.status == .diagnosed || current.status == .escalated,
               let last = try IncidentStore.lastTimelineMessage(incident.id, kind: "diagnosed", in: db),
               conclusion(of: last) == conclusion(of: summary) {
                try IncidentStore.refreshDiagnosis(incident.id, json: json, confidence: top?.confidence, at: now, in: db)
                return
            }
            if let note { try IncidentStore.appendTimeline(incident.id, kind: "note", message: note, at: now, in: db) }
            try IncidentStore.recordDiagnosis(
                incident.id, json: json, cause: nil, confidence: top?.confidence, tier: top?.tier,
                pattern: top?.pattern, remediation: top?.remediation, escalate: top == nil || top?.tier == .escalate,
                summary: summary, at: now, in: db)
            try AuditLog.append(AuditEntry(at: now, actor: context.actor, action: "incident.diagnose", subject: "incident:\(incident.id)",
                                           detail: summary, outcome: top?.tier.rawValue ?? "escalate"), to: db)
        }
    }

    /// A diagnosis summary without its confidence: `root cause: S — C (approval)`.
    static func conclusion(of summary: String) -> String {
        // The last "(confidence NN%, tier)" of the summary (the cause's own words come before it).
        guard let open = summary.range(of: "(confidence ", options: .backwards),
              let comma = summary.range(of: ", ", range: open.upperBound..<summary.endIndex) else { return summary }
        return summary.replacingCharacters(in: summary.index(after: open.lowerBound)..<comma.upperBound, with: "")
    }

    /// A diagnosis as stored and printed with `--json`: sorted keys, slashes unescaped.
    package static func encode(_ diagnosis: Diagnosis) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(diagnosis), as: UTF8.self)
    }
}
