import AuroraCore
import AuroraDiagnosis
import AuroraLearning
import AuroraStore
import Foundation

/// Diagnoses one stored incident and records the result on it: through a learned pattern when one
/// immunises it, else by full root-cause analysis (plus the optional AI hypothesis).
struct IncidentDiagnoser {
    enum Outcome {
        case immunised(Immunity)
        case analysed(Diagnosis)
        case noData(String)
    }

    let analyzer: RootCauseAnalyzer
    let learner: PatternLearner
    let tiers: ConfidenceTiers
    let historyWindow: Int64
    let hypothesis: HypothesisClient?

    /// `excluding`: incidents not to use as history (the ones being diagnosed again).
    init(context: CommandContext, excluding ids: [Int64] = []) throws {
        let configuration = try context.configuration()
        let history = try context.store().database.read { try AnalyzerFactory.history(in: $0) }
        analyzer = try AnalyzerFactory.analyzer(context, history: history.filter { !ids.contains(Int64($0.id) ?? -1) })
        learner = LearningBridge.learner(configuration)
        tiers = AnalyzerFactory.options(configuration).tiers
        historyWindow = Int64((configuration.value("diagnosis.history-window")?.seconds ?? 3600) * 1000)
        hypothesis = try AnalyzerFactory.hypothesisClient(context)
    }

    func diagnose(_ incident: IncidentRecord, context: CommandContext) async throws -> Outcome {
        if let immunity = try Immunity.check(incident, learner: learner, tiers: tiers, context: context) {
            return .immunised(immunity)
        }
        let db = try context.store().database
        let window = try IncidentWindow(start: incident.start, end: max(incident.end, incident.start + 1), history: historyWindow)
        let (series, focus) = try db.read { db -> ([Series], [SeriesKey]) in
            let focusKeys = Set(try IncidentStore.events(of: incident.id, in: db).map(\.seriesKey))
            var loaded: [Series] = []
            var focus: [SeriesKey] = []
            for stored in try SeriesStore.list(in: db) {
                let series = try SeriesStore.load(stored, from: window.start - window.history, to: window.end + 1, in: db)
                guard !series.isEmpty else { continue }
                loaded.append(series)
                if focusKeys.contains(stored.key.description) { focus.append(stored.key) }
            }
            return (loaded, focus)
        }
        var diagnosis: Diagnosis
        do {
            diagnosis = try analyzer.analyze(series, window: window, focus: focus)
        } catch let error as DiagnosisError {
            return .noData(error.description)
        }
        var note: String?
        if let hypothesis {
            let outcome = await hypothesis.ask(about: diagnosis)
            diagnosis = HypothesisClient.apply(outcome, to: diagnosis)
            if case .fallback(let reason) = outcome { note = "AI hypothesis unavailable: \(reason); used the other evidence" }
        }
        try DiagnoseCommand.record(diagnosis, on: incident, note: note, context: context)
        return .analysed(diagnosis)
    }
}
