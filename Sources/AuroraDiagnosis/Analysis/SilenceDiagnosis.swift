import AuroraCore

/// Diagnosis of incidents with series that stopped reporting (absent-data events).
///
/// A series without points has no change to rank: ranked with the others, an incident made only of
/// silences named whichever service happened to sort first, at confidence 0. What is known is said
/// instead: which services went silent, how many series, since when and whether they came back. Why
/// they stopped (the service or its host down, its scrape failing, the network) no metric shows, so
/// a silent service's candidate has confidence 0 and goes to a human, whatever the tiers are.
extension RootCauseAnalyzer {
    /// The cause of a silent service's candidate: what is observed, not a guess at why.
    package static let silenceCause = "Stopped reporting: its series left the source's answers."

    /// Diagnoses an incident some of whose anomalies are series that stopped reporting (`silences`, by
    /// service). `focus` names the series of its other anomalies. Without other anomalies the silences
    /// are the diagnosis (one candidate per silent service, most series first); with them, the series
    /// that kept reporting are analysed as usual and the silent services join the candidates after
    /// those a remediation could act on (approval tier or above) and before the weaker ones, so that a
    /// small change elsewhere does not push the service that went silent out of sight.
    package func analyze(_ series: [Series], window: IncidentWindow, focus: [SeriesKey], silences: [Silence]) throws -> Diagnosis {
        guard !silences.isEmpty else { return try analyze(series, window: window, focus: focus) }
        guard !focus.isEmpty else {
            return diagnose(silences: silences, window: window, note: "every anomaly of the incident is series that stopped reporting: "
                            + "there is no change to rank, so the services that kept reporting are not ranked")
        }
        let analysed: Diagnosis
        do {
            analysed = try analyze(series, window: window, focus: focus)
        } catch DiagnosisError.noData {
            return diagnose(silences: silences, window: window, note: "the other anomalies' series lack history before the incident "
                            + "or points inside it: only the series that stopped reporting are diagnosed")
        }
        return merge(silences, into: analysed)
    }

    /// The diagnosis of silences alone.
    func diagnose(silences: [Silence], window: IncidentWindow, note: String) -> Diagnosis {
        let ordered = Self.ordered(silences)
        let candidates = ordered.prefix(max(options.maxCandidates, 1)).enumerated().map { index, silence in
            candidate(for: silence, rank: index + 1, among: ordered)
        }
        return Diagnosis(window: window, candidates: candidates, services: [], changes: [], symptoms: [], history: [],
                         notes: [note], silences: ordered)
    }

    /// `analysed` (the analysis of the series that kept reporting) with the silent services among its
    /// candidates: a candidate of a silent service says so first; silent services without one get one.
    func merge(_ silences: [Silence], into analysed: Diagnosis) -> Diagnosis {
        let ordered = Self.ordered(silences)
        var unmatched = Dictionary(ordered.map { ($0.service, $0) }, uniquingKeysWith: { first, _ in first })
        var actionable: [RootCauseCandidate] = [], silent: [RootCauseCandidate] = [], weaker: [RootCauseCandidate] = []
        for var candidate in analysed.candidates {
            let silence = unmatched.removeValue(forKey: candidate.service)
            if let silence {
                candidate.silence = silence
                // First: an alert's description is the first line of evidence.
                candidate.evidence.insert(Evidence(.absence, silence.text), at: 0)
            }
            if candidate.tier != .escalate {
                actionable.append(candidate)
            } else if silence != nil {
                silent.append(candidate)
            } else {
                weaker.append(candidate)
            }
        }
        silent += ordered.filter { unmatched[$0.service] != nil }.map { candidate(for: $0, rank: 0, among: ordered) }
        var diagnosis = analysed
        // At least one silent service stays in the list, however many candidates rank above it.
        let kept = (actionable + silent + weaker).prefix(max(options.maxCandidates, actionable.count + 1))
        diagnosis.candidates = kept.enumerated().map { index, candidate in
            var ranked = candidate
            ranked.rank = index + 1
            return ranked
        }
        diagnosis.silences = ordered
        let names = Self.names(ordered.map(\.service))
        diagnosis.notes.append("\(names) stopped reporting during the incident: listed after the candidates a remediation "
                               + "could act on (approval or above) and before the weaker ones")
        return diagnosis
    }

    /// The candidate of a silent service: its silence as the cause, confidence 0, escalated.
    func candidate(for silence: Silence, rank: Int, among silences: [Silence]) -> RootCauseCandidate {
        var evidence = [Evidence(.absence, silence.text)]
        let together = silences.filter { $0.service != silence.service && $0.since == silence.since }.map(\.service)
        let apart = silences.filter { $0.service != silence.service && $0.since != silence.since }.map(\.service)
        if !together.isEmpty {
            evidence.append(Evidence(.absence, "\(Self.names(together)) stopped reporting at the same moment: what they share "
                                     + "(one target, the scraping, the network) is a likelier cause than any one of them"))
        }
        if !apart.isEmpty {
            evidence.append(Evidence(.absence, "\(Self.names(apart)) also stopped reporting during the incident, at another moment"))
        }
        evidence.append(Evidence(.absence, "a series without points has no change to measure: why it stopped (the service or its "
                                 + "host down, its scrape failing, the network) is for a human to find, so the confidence is 0"))
        // Tiers configured so low that 0 would act without a human still escalate: nothing was measured.
        let tier = options.tiers.tier(for: 0)
        let inputs = ConfidenceModel.Inputs(strength: 0, margin: 0, pattern: 0, correlation: 0, history: 0, timing: 0,
                                            seriesCount: 0, roleKnown: false, candidateServices: silences.count)
        return RootCauseCandidate(
            rank: rank, service: silence.service, seriesKey: silence.example, metric: nil, score: 0, cause: Self.silenceCause,
            pattern: nil, patternScore: 0, remediation: nil, risk: nil, confidence: 0, tier: tier == .approval ? .approval : .escalate,
            evidence: evidence, confidenceInputs: inputs, silence: silence)
    }

    /// Most series first, then the earliest, then by service.
    static func ordered(_ silences: [Silence]) -> [Silence] {
        silences.sorted { ($1.seriesCount, $0.since, $0.service) < ($0.seriesCount, $1.since, $1.service) }
    }

    /// `api`, `api and db`, `api, db and web`, `api, db, web and 4 more`.
    static func names(_ services: [String]) -> String { NameList.text(services) }
}
