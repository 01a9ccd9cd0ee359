import AuroraCore
import Foundation

/// Root-cause analysis over the series around an incident window.
///
/// Gathers the evidence (change magnitude and onset per series, the dependency graph, lagged
/// correlation with the symptom, similar past incidents), ranks the services, matches the known
/// patterns on the best ones and gives each a calibrated confidence and its tier.
package struct RootCauseAnalyzer: Sendable {
    /// The patterns to match.
    package var patterns: [DiagnosisPattern]
    /// Which service calls which (may be empty).
    package var graph: ServiceGraph
    /// Past incidents with their confirmed causes.
    package var history: [PastIncident]
    /// Thresholds and tiers.
    package var options: DiagnosisOptions
    /// How evidence becomes a confidence.
    package var confidenceModel: ConfidenceModel

    /// Creates the value from its parts.
    package init(
        patterns: [DiagnosisPattern], graph: ServiceGraph = ServiceGraph(), history: [PastIncident] = [],
        options: DiagnosisOptions = DiagnosisOptions(), confidenceModel: ConfidenceModel = ConfidenceModel()
    ) {
        self.patterns = patterns
        self.graph = graph
        self.history = history
        self.options = options
        self.confidenceModel = confidenceModel
    }

    /// Diagnoses the incident in `window`. `focus` names the series the detectors flagged (the
    /// symptom); without it the largest latency or error change stands for the symptom.
    package func analyze(_ series: [Series], window: IncidentWindow, focus: [SeriesKey] = []) throws -> Diagnosis {
        let scanned = options.scanner.scan(series, window: window)
        guard !scanned.isEmpty else { throw DiagnosisError.noData }
        return diagnose(series: series, changes: scanned, window: window, focus: focus)
    }

    /// Diagnoses a grouped incident: the window runs from `lead` before its first anomaly to `end`
    /// (default: its last anomaly), and the flagged series are the symptom.
    package func analyze(
        _ series: [Series], incident: IncidentGroup, lead: Int64 = 300_000, end: Int64? = nil, history: Int64 = 3_600_000
    ) throws -> Diagnosis {
        let window = try IncidentWindow(start: incident.start - max(0, lead), end: max(end ?? incident.end, incident.end),
                                        history: history)
        return try analyze(series, window: window, focus: incident.seriesKeys)
    }

    func diagnose(series: [Series], changes scanned: [SeriesChange], window: IncidentWindow, focus: [SeriesKey]) -> Diagnosis {
        var notes: [String] = []
        let skipped = series.count - scanned.count
        if skipped > 0 { notes.append("\(skipped) series lack history before the window or points inside it and were left out") }
        let step = Self.samplingStep(series)
        let ranker = ServiceRanker(graph: graph, options: options, step: step)
        let ranking = ranker.rank(scanned)
        let services = ranking.assessments
        let changed = scanned.filter { $0.magnitude >= options.changeThreshold }
            .sorted { ($0.magnitude, $1.key) > ($1.magnitude, $0.key) }
        let symptoms = Array(Set(changed.map {
            IncidentSymptom(service: $0.identity.service, role: $0.identity.role, direction: $0.pressure)
        })).sorted()
        let similar = HistoryMatcher(incidents: history).similar(to: symptoms)
        let trigger = Self.trigger(changed: changed, focus: focus)
        let triggerSeries = trigger.flatMap { key in series.first { $0.key == key } }
        var byService: [String: [SeriesChange]] = [:]
        for change in scanned { byService[change.identity.service, default: []].append(change) }
        let builder = CandidateBuilder(
            series: series, window: window, step: step, graph: graph, options: options, confidenceModel: confidenceModel,
            matcher: PatternMatcher(patterns: patterns, threshold: options.changeThreshold), ranking: ranking,
            byService: byService, similar: similar, earliest: changed.compactMap(\.onset).min(),
            triggerSeries: triggerSeries, candidateServices: Self.candidateServices(series, graph: graph))
        let candidates = services.prefix(options.maxCandidates).enumerated().map { index, assessment in
            builder.candidate(rank: index + 1, assessment: assessment)
        }
        return Diagnosis(window: window, candidates: candidates, services: services, changes: changed,
                         symptoms: symptoms, history: similar, notes: notes)
    }

    /// 1 when `change` began with the incident: at most max(2 steps, 1 minute) after the window start
    /// (a fault's own metric moves within a sample or two; 1 minute covers fast sampling, where a
    /// resource takes several samples to climb). Later it decays, by e per allowance of delay: a change
    /// that begins minutes into the incident followed it. 0 without an onset (the series never crossed
    /// the onset threshold: a drift, or a level reached before the window) or without a change.
    static func timing(of change: SeriesChange?, window: IncidentWindow, step: Int64) -> Double {
        guard let onset = change?.onset else { return 0 }
        let allowance = Double(max(2 * step, 60_000))
        let delay = Double(onset - window.start)
        return delay <= allowance ? 1 : exp(-(delay - allowance) / allowance)
    }

    /// How many services could be the root: every service the series name (changed or not, with enough
    /// history or not) and every service of the dependency graph, since an unmonitored dependency can be
    /// the root too.
    static func candidateServices(_ series: [Series], graph: ServiceGraph) -> Int {
        var services = Set(series.map { SeriesIdentity($0.key).service })
        for (caller, callees) in graph.dependencies {
            services.insert(caller)
            services.formUnion(callees)
        }
        return services.count
    }

    /// The symptom series: the largest flagged change, else the largest latency/error change, else the largest.
    static func trigger(changed: [SeriesChange], focus: [SeriesKey]) -> SeriesKey? {
        let focused = Set(focus)
        if let flagged = changed.first(where: { focused.contains($0.key) }) { return flagged.key }
        if let sli = changed.first(where: { $0.identity.role == .latency || $0.identity.role == .errors }) { return sli.key }
        return changed.first?.key
    }

    /// The typical spacing of points (median of the first series' gaps), 10 s when unknown.
    static func samplingStep(_ series: [Series]) -> Int64 {
        guard let sample = series.first(where: { $0.count >= 3 }) else { return 10_000 }
        let gaps = zip(sample.timestamps.dropFirst(), sample.timestamps).prefix(64).map { $0.0 - $0.1 }.sorted()
        return max(gaps[gaps.count / 2], 1)
    }

    static func describe(_ change: SeriesChange) -> String {
        "\(change.identity.metric) \(change.direction.rawValue): sustained robust z \(number(change.magnitude, 1)) "
            + "(baseline \(String(format: "%.4g", change.baselineMedian)), now \(String(format: "%.4g", change.level)))"
    }

    /// A number with `digits` decimals.
    static func number(_ value: Double, _ digits: Int) -> String {
        String(format: "%.\(digits)f", value)
    }
}
