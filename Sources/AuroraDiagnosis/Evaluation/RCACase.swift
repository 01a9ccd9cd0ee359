import AuroraCore

/// One past incident with a known root cause: its series, the incident window, the call graph and
/// the answer. The `aurora-rca-case/1` folder format maps onto it; reading the files is the caller's job.
package struct RCACase: Sendable {
    /// The case's name.
    package var id: String
    /// The metrics around the incident.
    package var series: [Series]
    /// The incident and the normal period before it.
    package var window: IncidentWindow
    /// Which service calls which (may be empty).
    package var graph: ServiceGraph
    /// Every service of the system, including those without data.
    package var services: [String]
    /// The right answer.
    package var roots: [String]
    /// Groups for the tables (`system`, `fault_type` …).
    package var groups: [RCAGroup]

    /// Creates the value from its parts.
    package init(
        id: String, series: [Series], window: IncidentWindow, graph: ServiceGraph = ServiceGraph(), services: [String] = [],
        roots: [String], groups: [RCAGroup] = []
    ) {
        self.id = id
        self.series = series
        self.window = window
        self.graph = graph
        self.services = services
        self.roots = roots
        self.groups = groups
    }
}

/// Runs the diagnosis over cases with known answers and scores them.
package struct RCAEvaluator: Sendable {
    /// The patterns to match.
    package var patterns: [DiagnosisPattern]
    /// Thresholds and tiers.
    package var options: DiagnosisOptions
    /// How evidence becomes a confidence.
    package var confidenceModel: ConfidenceModel

    /// Creates the value from its parts.
    package init(patterns: [DiagnosisPattern], options: DiagnosisOptions = DiagnosisOptions(),
                confidenceModel: ConfidenceModel = ConfidenceModel()) {
        self.patterns = patterns
        self.options = options
        self.confidenceModel = confidenceModel
    }

    /// Ranks one case's services with a baseline instead of aurora (no confidence: it is 0).
    package func evaluate(_ item: RCACase, baseline: RCABaseline) -> RCAOutcome {
        var ranking = baseline.rankServices(item)
        let ranked = Set(ranking)
        ranking += item.services.filter { !ranked.contains($0) }.sorted()
        return RCAOutcome(id: item.id, groups: item.groups, roots: item.roots, ranking: ranking, confidence: 0)
    }

    /// Diagnoses one case with its own graph. A diagnosis that fails counts as a miss with its reason.
    package func evaluate(_ item: RCACase) -> RCAOutcome {
        let analyzer = RootCauseAnalyzer(patterns: patterns, graph: item.graph, options: options, confidenceModel: confidenceModel)
        do {
            let diagnosis = try analyzer.analyze(item.series, window: item.window)
            var ranking = diagnosis.services.map(\.service)
            // Services the diagnosis could not rank (no data) come last, in name order.
            let ranked = Set(ranking)
            ranking += item.services.filter { !ranked.contains($0) }.sorted()
            let top = diagnosis.top
            var outcome = RCAOutcome(id: item.id, groups: item.groups, roots: item.roots, ranking: ranking,
                                     confidence: top?.confidence ?? 0, inputs: top?.confidenceInputs)
            outcome.scores = diagnosis.services.prefix(10).map(\.score)
            outcome.keyMetric = top?.metric
            outcome.keyRole = diagnosis.services.first?.keyChange?.identity.role.rawValue
            return outcome
        } catch {
            return RCAOutcome(id: item.id, groups: item.groups, roots: item.roots, ranking: item.services.sorted(),
                              confidence: 0, failure: "\(error)")
        }
    }
}
