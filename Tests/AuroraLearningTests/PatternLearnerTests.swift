import AuroraDiagnosis
import AuroraLearning
import Foundation
import Testing

@Suite struct PatternLearnerTests {
    let day = Date(timeIntervalSince1970: 1_800_000_000)
    let poolSymptoms = [
        Symptom(service: "postgres", role: .saturation, direction: .up),
        Symptom(service: "checkout", role: .latency, direction: .up),
        Symptom(service: "checkout", role: .errors, direction: .up),
    ]

    func incident(_ symptoms: [Symptom], outcome: ResolutionOutcome, recovery: Double = 240, root: String = "postgres") -> ResolvedIncident {
        ResolvedIncident(symptoms: symptoms, rootService: root, cause: "connection pool exhausted", remediation: "restart-postgres",
                         outcome: outcome, recoverySeconds: recovery, resolvedAt: day)
    }

    @Test func aNewIncidentCreatesAPatternAndASimilarOneReinforcesIt() {
        let learner = PatternLearner()
        guard case .created(var pattern) = learner.learn(from: incident(poolSymptoms, outcome: .remediated, recovery: 300), patterns: []) else {
            Issue.record("expected a new pattern"); return
        }
        pattern.id = 1
        #expect(pattern.occurrences == 1 && pattern.successes == 1)
        #expect(abs(pattern.confidence - 2.0 / 3.0) < 1e-12)
        // Two of three symptoms in common plus one new: Jaccard 2/4 = 0.5 is below 0.6, so a new pattern.
        let partial = [poolSymptoms[0], poolSymptoms[1], Symptom(service: "cart", role: .cpu, direction: .up)]
        guard case .created = learner.learn(from: incident(partial, outcome: .remediated), patterns: [pattern]) else {
            Issue.record("0.5 similarity must not match"); return
        }
        // The same symptoms again reinforce, and the running MTTR averages.
        guard case .reinforced(let reinforced, let similarity) = learner.learn(from: incident(poolSymptoms, outcome: .remediated, recovery: 100),
                                                                               patterns: [pattern]) else {
            Issue.record("expected reinforcement"); return
        }
        #expect(similarity == 1)
        #expect(reinforced.occurrences == 2 && reinforced.successes == 2)
        #expect(reinforced.meanRecoverySeconds == 200)
        #expect(abs(reinforced.confidence - 0.75) < 1e-12)
    }

    @Test func failuresAndFalsePositivesWeakenConfidence() {
        let learner = PatternLearner()
        let pattern = LearnedPattern(id: 1, name: "p", symptoms: poolSymptoms, rootService: "postgres", cause: "c",
                                     remediation: "r", successes: 3, firstSeen: day, lastSeen: day)
        #expect(pattern.confidence == 0.8)
        #expect(learner.weaken(pattern).confidence == 4.0 / 6.0)
        #expect(learner.markFalsePositive(learner.weaken(pattern)).confidence == 4.0 / 7.0)
        guard case .reinforced(let failed, _) = learner.learn(from: incident(poolSymptoms, outcome: .remediationFailed), patterns: [pattern]) else {
            Issue.record("expected reinforcement"); return
        }
        #expect(failed.failures == 1 && failed.successes == 3)
    }

    @Test func differentRootServicesNeverMatch() {
        let learner = PatternLearner()
        let pattern = LearnedPattern(id: 1, name: "p", symptoms: poolSymptoms, rootService: "postgres", cause: "c",
                                     remediation: "r", successes: 1, firstSeen: day, lastSeen: day)
        guard case .created = learner.learn(from: incident(poolSymptoms, outcome: .remediated, root: "redis"), patterns: [pattern]) else {
            Issue.record("a different root is a different lesson"); return
        }
    }

    @Test func immunityNeedsAConfidentPatternWithAPlaybook() {
        let learner = PatternLearner()
        let confident = LearnedPattern(id: 1, name: "p", symptoms: poolSymptoms, rootService: "postgres", cause: "c",
                                       remediation: "restart", successes: 1, firstSeen: day, lastSeen: day)
        #expect(learner.immunity(for: poolSymptoms, in: [confident])?.0.id == 1)
        var unproven = confident
        unproven.successes = 0
        #expect(learner.immunity(for: poolSymptoms, in: [unproven]) == nil)
        var noPlaybook = confident
        noPlaybook.remediation = nil
        #expect(learner.immunity(for: poolSymptoms, in: [noPlaybook]) == nil)
        #expect(learner.immunity(for: [Symptom(service: "x", role: .cpu, direction: .up)], in: [confident]) == nil)
    }

    @Test func exportReadsBackAndIsAValidLibraryPattern() throws {
        let pattern = LearnedPattern(id: 7, name: "learned: postgres pool", symptoms: poolSymptoms, rootService: "postgres",
                                     cause: "connection pool \"exhausted\"", remediation: "restart-postgres", risk: .medium,
                                     occurrences: 3, successes: 2, failures: 1, falsePositives: 0, meanRecoverySeconds: 180,
                                     firstSeen: day, lastSeen: day.addingTimeInterval(3600))
        let text = PatternFile.export([pattern])
        let back = try PatternFile.parse(text, source: "p.yaml")
        #expect(back.count == 1)
        var expected = pattern
        expected.id = 0
        #expect(back[0] == expected)
        // The same file is a pattern the diagnosis library accepts.
        let library = try PatternLibrary.parse(String(text.split(separator: "---\n")[1]), source: "p.yaml")
        #expect(library.remediation == "restart-postgres")
        #expect(throws: (any Error).self) { try PatternFile.parse("name: x\n", source: "bad.yaml") }
    }
}

@Suite struct ServiceLevelReportTests {
    @Test func everyFigureOnAKnownHistory() {
        // Four incidents: 2 auto-resolved (120 s, 240 s), 1 resolved by hand (600 s), 1 false positive.
        let incidents = [
            IncidentFacts(start: 0, detected: 10, resolved: 120, resolvedAutomatically: true, falsePositive: false, knownPattern: true),
            IncidentFacts(start: 1000, detected: 1020, resolved: 1240, resolvedAutomatically: true, falsePositive: false, knownPattern: false),
            IncidentFacts(start: 2000, detected: 2040, resolved: 2600, resolvedAutomatically: false, falsePositive: false, knownPattern: false),
            IncidentFacts(start: 3000, detected: 3005, resolved: 3010, resolvedAutomatically: false, falsePositive: true, knownPattern: false),
        ]
        let report = ServiceLevelReport.compute(incidents: incidents, detectionLatencies: [10, 20, 40, 5],
                                                executedRemediations: 4, rolledBack: 1, targets: ServiceLevelTargets())
        let byName = Dictionary(uniqueKeysWithValues: report.map { ($0.name, $0) })
        #expect(byName["MTTR"]?.value == 320 && byName["MTTR"]?.samples == 3 && byName["MTTR"]?.passes == false)
        #expect(byName["detection latency"]?.value == 18.75 && byName["detection latency"]?.passes == true)
        #expect(byName["precision"]?.value == 0.75 && byName["precision"]?.passes == false)
        #expect(byName["auto-resolution"]?.value == 2.0 / 3.0 && byName["auto-resolution"]?.passes == false)
        #expect(byName["rollback rate"]?.value == 0.25 && byName["rollback rate"]?.passes == false)
        let kinds = ServiceLevelReport.recoveryByKind(incidents)
        #expect(kinds.known == 120 && kinds.new == 420)
    }

    /// An incident that recovered without action (`diagnosis.recovered-after`) counts in precision like any
    /// incident, but neither in MTTR nor in auto-resolution: nothing was restored, by aurora or anyone.
    @Test func anIncidentThatRecoveredByItselfIsNoRecoveryOfAurora() {
        let incidents = [
            IncidentFacts(start: 0, detected: 10, resolved: 120, resolvedAutomatically: true, falsePositive: false, knownPattern: false),
            IncidentFacts(start: 1000, detected: 1020, resolved: 1600, resolvedAutomatically: false, falsePositive: false, knownPattern: false),
            IncidentFacts(start: 2000, detected: 2010, resolved: 2030, resolvedAutomatically: false, falsePositive: false, knownPattern: false,
                          recoveredWithoutAction: true),
        ]
        let report = ServiceLevelReport.compute(incidents: incidents, detectionLatencies: [], executedRemediations: 1, rolledBack: 0,
                                                targets: ServiceLevelTargets())
        let byName = Dictionary(uniqueKeysWithValues: report.map { ($0.name, $0) })
        #expect(byName["MTTR"]?.value == 360 && byName["MTTR"]?.samples == 2)
        #expect(byName["auto-resolution"]?.value == 0.5 && byName["auto-resolution"]?.samples == 2)
        #expect(byName["precision"]?.value == 1 && byName["precision"]?.samples == 3)
        #expect(ServiceLevelReport.recoveryByKind(incidents).new == 360)
    }

    @Test func noSamplesMeansNothingFailed() {
        let report = ServiceLevelReport.compute(incidents: [], detectionLatencies: [], executedRemediations: 0, rolledBack: 0,
                                                targets: ServiceLevelTargets())
        #expect(report.allSatisfy { $0.value == nil && $0.passes })
    }
}

@Suite struct ImmunisedConfidenceTests {
    @Test func analysisAndPlaybookCombineAsANoisyOr() {
        let day = Date(timeIntervalSince1970: 0)
        var pattern = LearnedPattern(name: "p", symptoms: [], rootService: nil, cause: "c", remediation: "r", successes: 1,
                                     diagnosisConfidence: 0.9, firstSeen: day, lastSeen: day)
        // 1 − (1 − 0.9)(1 − 2/3) = 1 − 0.1/3
        #expect(abs(pattern.immunisedConfidence - (1 - 0.1 / 3)) < 1e-12)
        pattern.diagnosisConfidence = nil
        #expect(pattern.immunisedConfidence == pattern.confidence)
    }
}
