import AuroraConfig
import AuroraCore
import AuroraDiagnosis
import AuroraLearning
import AuroraStore
import Foundation

/// Connects the learning engine to the database: incidents in, learned patterns out.
package enum LearningBridge {
    /// The pattern learner with `learning:` settings.
    package static func learner(_ configuration: Configuration) throws -> PatternLearner {
        // The schema's defaults are read from `PatternLearner()`: the typed readers fall back to them.
        PatternLearner(matchThreshold: try configuration.number("learning.match-threshold"),
                       immunityConfidence: try configuration.number("learning.immunity-confidence"))
    }

    /// An incident's symptoms from its anomaly events: the service, the kind of metric (by its name),
    /// and whether it went above or below what was expected.
    package static func symptoms(ofIncident id: Int64, in db: Database) throws -> [Symptom] {
        var result = Set<Symptom>()
        for event in try IncidentStore.events(of: id, in: db) {
            guard let service = event.service else { continue }
            let name = String(event.seriesKey.prefix { $0 != "{" })
            let direction: ChangeDirection = (event.expectedLow.map { event.peakValue < $0 } ?? false) ? .down : .up
            result.insert(Symptom(service: service, role: MetricRole.classify(name), direction: direction))
        }
        return result.sorted()
    }

    /// A stored pattern row as the engine's pattern.
    package static func pattern(_ row: LearnedPatternRow) -> LearnedPattern {
        let symptoms = row.symptoms.compactMap { line -> Symptom? in
            let parts = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3, let role = MetricRole(rawValue: parts[1]), let direction = ChangeDirection(rawValue: parts[2]) else { return nil }
            return Symptom(service: parts[0], role: role, direction: direction)
        }
        return LearnedPattern(id: row.id, name: row.name, symptoms: symptoms, rootService: row.rootService, cause: row.cause,
                              remediation: row.remediation, risk: RiskTier(rawValue: row.risk) ?? .medium,
                              occurrences: row.occurrences, successes: row.successes, failures: row.failures,
                              falsePositives: row.falsePositives, meanRecoverySeconds: row.meanRecoverySeconds,
                              diagnosisConfidence: row.diagnosisConfidence, firstSeen: row.firstSeen, lastSeen: row.lastSeen)
    }

    /// The engine's pattern as a stored row.
    package static func row(_ pattern: LearnedPattern) -> LearnedPatternRow {
        LearnedPatternRow(id: pattern.id, name: pattern.name,
                          symptoms: pattern.symptoms.map { "\($0.service)|\($0.role.rawValue)|\($0.direction.rawValue)" },
                          rootService: pattern.rootService, cause: pattern.cause, remediation: pattern.remediation,
                          risk: pattern.risk.rawValue, occurrences: pattern.occurrences, successes: pattern.successes,
                          failures: pattern.failures, falsePositives: pattern.falsePositives,
                          meanRecoverySeconds: pattern.meanRecoverySeconds, diagnosisConfidence: pattern.diagnosisConfidence,
                          firstSeen: pattern.firstSeen, lastSeen: pattern.lastSeen)
    }

    /// Every learned pattern.
    package static func patterns(in db: Database) throws -> [LearnedPattern] {
        try LearnedPatternStore.all(in: db).map(pattern)
    }

    /// Learns from a resolved incident, inside the caller's write transaction; returns the timeline text.
    @discardableResult
    package static func learn(fromIncident id: Int64, outcome: ResolutionOutcome, learner: PatternLearner, at now: Date,
                      in db: Database) throws -> String? {
        guard let incident = try IncidentStore.get(id, in: db), !incident.falsePositive else { return nil }
        let symptoms = try symptoms(ofIncident: id, in: db)
        guard !symptoms.isEmpty else { return nil }
        // The operator's confirmed cause, else what the diagnosis concluded.
        let diagnosis = StoredDiagnosis(incident.diagnosis)
        let cause = incident.cause ?? diagnosis.topCause ?? "unknown cause"
        let root = incident.services.count == 1 ? incident.services.first : diagnosis.topService ?? incident.services.first
        // Recovery on the data's clock: over a dump resolved months later it is the incident's own span
        // in the data, not the months (issue 17: a "mean recovery" of 333 days).
        let dataEnd = try SeriesStore.newestPoint(in: db)
        let recoveredAt = DataClock.resolution(start: incident.start, anomalyEnd: incident.end, resolved: now.unixMilliseconds, dataEnd: dataEnd)
        let resolved = ResolvedIncident(
            symptoms: symptoms, rootService: root, cause: cause, remediation: incident.remediation, pattern: incident.pattern,
            outcome: outcome, recoverySeconds: Double(max(0, recoveredAt - incident.start)) / 1000, resolvedAt: now,
            // An immunised incident's confidence came from the pattern itself: feeding it back would
            // let the pattern vouch for itself.
            diagnosisConfidence: try LearnedPatternStore.linkedPattern(ofIncident: id, in: db) == nil ? incident.confidence : nil)
        let message: String
        switch learner.learn(from: resolved, patterns: try patterns(in: db)) {
        case .created(let pattern):
            let newID = try LearnedPatternStore.save(row(pattern), in: db)
            // The pattern's name starts "learned: " (what `patterns list` shows); the message already says so.
            let name = pattern.name.hasPrefix("learned: ") ? String(pattern.name.dropFirst("learned: ".count)) : pattern.name
            message = "learned a new pattern #\(newID): \(name)"
        case .reinforced(let pattern, let similarity):
            try LearnedPatternStore.save(row(pattern), in: db)
            // "playbook": this is the record of the fix, not the confidence in a diagnosis (which also
            // counts the analyses that taught the pattern, and so reads higher).
            message = "reinforced learned pattern #\(pattern.id) (similarity \(String(format: "%.2f", similarity)); "
                + "its playbook has now worked \(Plural.count(pattern.successes, "time")) in \(pattern.occurrences): "
                + "\(String(format: "%.0f%%", pattern.confidence * 100)) playbook confidence)"
        }
        try IncidentStore.appendTimeline(id, kind: "learned", message: message, at: now, in: db)
        return message
    }

    /// A false-positive mark weakens the learned pattern that handled (or matches) the incident.
    package static func recordFalsePositive(incident id: Int64, learner: PatternLearner, in db: Database) throws -> Int64? {
        let patterns = try patterns(in: db)
        var target: LearnedPattern?
        if let linked = try LearnedPatternStore.linkedPattern(ofIncident: id, in: db) {
            target = patterns.first { $0.id == linked }
        } else {
            target = learner.bestMatch(for: try symptoms(ofIncident: id, in: db), rootService: nil, in: patterns)?.0
        }
        guard let pattern = target else { return nil }
        try LearnedPatternStore.save(row(learner.markFalsePositive(pattern)), in: db)
        return pattern.id
    }
}
