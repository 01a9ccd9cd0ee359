import AuroraCore
import Foundation

/// Turns one ranked service into a root-cause candidate: its evidence in words, the best pattern,
/// history, the confidence and its tier.
struct CandidateBuilder {
    let series: [Series]
    let window: IncidentWindow
    let step: Int64
    let graph: ServiceGraph
    let options: DiagnosisOptions
    let confidenceModel: ConfidenceModel
    let matcher: PatternMatcher
    let ranking: ServiceRanker.Ranking
    let byService: [String: [SeriesChange]]
    let similar: [HistoryMatch]
    /// Onset of the earliest changed series.
    let earliest: Int64?
    let triggerSeries: Series?
    /// Services that could be the root (series' services plus the graph's).
    let candidateServices: Int

    /// Roles that are the service's own resources (a change there starts at the service).
    static let resourceRoles: Set<MetricRole> = [.cpu, .memory, .saturation, .disk]

    func candidate(rank: Int, assessment: ServiceAssessment) -> RootCauseCandidate {
        let others = ranking.assessments.filter { $0.service != assessment.service }.map(\.score).max() ?? 0
        let margin = assessment.score > 0 ? max(-1, min(1, (assessment.score - others) / assessment.score)) : -1
        var evidence: [Evidence] = []
        let inference = ranking.inferences[assessment.service]
        let own = (byService[assessment.service] ?? []) + (inference.map { [$0.change] } ?? [])
        let key = assessment.keyChange
        let inferredKey = key != nil && inference?.change.key == key?.key
        if let inference { evidence.append(Evidence(.dependency, "inferred: \(inference.text)")) }
        if let key {
            evidence.append(Evidence(.magnitude, RootCauseAnalyzer.describe(key)))
            if let onset = key.onset, let earliest {
                let delay = Double(onset - earliest) / 1000
                evidence.append(Evidence(.onset, delay <= 0
                    ? "\(key.identity.metric) was among the first series to move"
                    : "\(key.identity.metric) moved \(DurationText.format(delay)) after the first change"))
            }
        }
        evidence += dependencyEvidence(assessment, own: own)
        var correlation = 0.0
        if let key, !inferredKey, let (value, text) = correlationEvidence(key) {
            correlation = value
            if let text { evidence.append(Evidence(.correlation, text)) }
        }
        let best = matcher.match(own).first
        if let best {
            evidence.append(Evidence(.pattern, "matches \(best.pattern.name) (\(RootCauseAnalyzer.number(best.score, 2))): "
                + best.reasons.joined(separator: "; ")))
        }
        let history = historyEvidence(service: assessment.service, pattern: best?.pattern.name)
        if let text = history.text { evidence.append(Evidence(.history, text)) }
        let unexplained = max(assessment.changedSeries - assessment.explainedSeries, 0)
        let concurrent = concurrentServices(besides: assessment.service)
        if concurrent > 0 {
            // Said in words because it lowers the confidence: a wider fluctuation makes any one change less telling.
            evidence.append(Evidence(.onset, Plural.count(concurrent, "other service") + " changed at the same time, each for "
                + "its own reasons: this may be a wider fluctuation, confidence lowered"))
        }
        let inputs = ConfidenceModel.Inputs(
            strength: key.map(countedStrength) ?? 0, margin: margin, pattern: best?.score ?? 0,
            correlation: correlation, history: history.score,
            timing: RootCauseAnalyzer.timing(of: key, window: window, step: step),
            resource: own.filter { Self.resourceRoles.contains($0.identity.role) && $0.pressure == .up }
                .map { ServiceRanker.strength($0.magnitude) / ServiceRanker.strength(.infinity)
                    * RootCauseAnalyzer.timing(of: $0, window: window, step: step) }.max() ?? 0,
            corroboration: log1p(Double(max(unexplained - 1, 0))), concurrentServices: concurrent,
            seriesCount: assessment.changedSeries,
            roleKnown: key.map { $0.identity.role != .other } ?? false,
            historyPoints: key?.historyPoints ?? ConfidenceModel.reliableHistoryPoints, candidateServices: candidateServices)
        var confidence = 0.0
        if assessment.changedSeries > 0, inputs.soleCandidate {
            evidence.append(Evidence(.dependency, "\(assessment.service) is the only service that could be the root: "
                + "no other service has series here or appears in the dependency graph"))
        }
        if assessment.changedSeries > 0 {
            let bounded = confidenceModel.bounded(inputs, actLine: options.tiers.autoWithMonitoring)
            confidence = bounded.value
            for limit in bounded.limits {
                switch limit {
                case .unknownRole:
                    evidence.append(Evidence(.magnitude, "\(key?.identity.metric ?? "the series") does not say what it measures: "
                        + "a human approves"))
                case .singleSeries:
                    evidence.append(Evidence(.magnitude, "only one series shows the change: a human approves"))
                case .shortHistory(let points):
                    evidence.append(Evidence(.magnitude, "only \(points) point(s) of history before the incident: "
                        + "confidence lowered"))
                }
            }
        }
        let cause = best?.pattern.cause ?? history.match?.cause ?? key.map {
            "\($0.identity.metric) \($0.direction.rawValue) on \(assessment.service) with no known pattern"
        } ?? "no change found on \(assessment.service)"
        return RootCauseCandidate(
            rank: rank, service: assessment.service, seriesKey: inferredKey ? nil : key?.key, metric: key?.identity.metric,
            score: assessment.score, cause: cause, pattern: best?.pattern.name, patternScore: best?.score ?? 0,
            remediation: best?.pattern.remediation ?? history.match?.remediation, risk: best?.pattern.risk,
            confidence: confidence, tier: options.tiers.tier(for: confidence), evidence: evidence, confidenceInputs: inputs)
    }

    /// The strength of the key change as the ranking counted it: a change that another service's change
    /// explains, or one on an outbound series (the calls the service makes, which say that something it
    /// calls is slow), is evidence about another service and counts for `explainedWeight` of its size.
    func countedStrength(_ change: SeriesChange) -> Double {
        let explained = ranking.explanations[change.key] != nil || change.identity.isOutbound
        return ServiceRanker.strength(change.magnitude) * (explained ? options.explainedWeight : 1)
    }

    /// Other services with a changed series that nothing else explains: they changed at the same time
    /// for reasons of their own, so the candidate's change is one of several rather than the one.
    func concurrentServices(besides service: String) -> Int {
        ranking.assessments.filter { $0.service != service && $0.changedSeries > $0.explainedSeries }.count
    }

    /// What the graph says: which of the service's changes others explain, and who moved upstream.
    func dependencyEvidence(_ assessment: ServiceAssessment, own: [SeriesChange]) -> [Evidence] {
        var evidence: [Evidence] = []
        for change in own.filter({ ranking.explanations[$0.key] != nil }).prefix(3) {
            if let text = ranking.explanations[change.key]?.text { evidence.append(Evidence(.dependency, "explained: \(text)")) }
        }
        if !graph.isEmpty, assessment.changedSeries > assessment.explainedSeries {
            let moved = graph.upstream(of: assessment.service).filter {
                byService[$0]?.contains { $0.magnitude >= options.changeThreshold } ?? false
            }
            if !moved.isEmpty {
                evidence.append(Evidence(.dependency, "upstream services that moved too: \(moved.prefix(5).joined(separator: ", "))"
                    + "; none of its own dependencies explains its change"))
            }
        }
        return evidence
    }

    /// |correlation| of the candidate's key series with the symptom (leading or together), and its words.
    func correlationEvidence(_ key: SeriesChange) -> (Double, String?)? {
        guard let triggerSeries, let keySeries = series.first(where: { $0.key == key.key }) else { return nil }
        if keySeries.key == triggerSeries.key { return (1, nil) }
        let span = max(window.end - window.start, step * 8)
        guard let lagged = LaggedCorrelation.best(candidate: keySeries, symptom: triggerSeries, from: window.start - span,
                                                  to: window.end, maxLag: options.correlationMaxLag) else { return nil }
        // A lag of 0 is moving together, not leading: say so, and count steps in words.
        let relation = lagged.lag == 0 ? "moves with \(triggerSeries.key)"
            : "leads \(triggerSeries.key) by " + Plural.count(lagged.lag, "step")
        return (abs(lagged.coefficient), "\(key.identity.metric) \(relation), correlation \(RootCauseAnalyzer.number(lagged.coefficient, 2))")
    }

    /// The most telling past incident with this root (and, when a pattern matched, the same pattern).
    func historyEvidence(service: String, pattern: String?) -> (score: Double, match: PastIncident?, text: String?) {
        var best: (score: Double, match: PastIncident?, text: String?) = (0, nil, nil)
        for match in similar where match.incident.rootService == service
            && (pattern == nil || match.incident.pattern == nil || match.incident.pattern == pattern) {
            let outcomeWeight: Double = switch match.incident.outcome {
            case .resolved: 1
            case .failed: 0.3
            case .unknown: 0.6
            }
            let worth = match.similarity * outcomeWeight
            guard worth > best.score else { continue }
            let fix = match.incident.remediation.map { ", remediated by \($0) (\(match.incident.outcome.rawValue))" } ?? ""
            best = (worth, match.incident, "like past incident \(match.incident.id) (similarity "
                + "\(RootCauseAnalyzer.number(match.similarity, 2))): \(match.incident.cause)\(fix)")
        }
        return best
    }
}
