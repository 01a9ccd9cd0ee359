import AuroraConfig
import AuroraCore
import AuroraDiagnosis
@testable import AuroraOperations
import AuroraSimulation
import AuroraStore
import AuroraTestSupport
import Foundation
import Testing

/// The loop decides a remediation on the probability that acting is right: that the incident is a real
/// fault (its strongest anomaly's fitted confidence, or an operator's rule) times that its cause is the
/// diagnosed one. The demo's fleet, a real store, a process runner that starts nothing.
@Suite struct FaultRealityPassTests {
    /// `alert`: an Alertmanager alert of that name for postgres, as `aurora watch`'s webhook records it, fired
    /// at the fault's start.
    static func incident(rules: String, alert: String? = nil, actionTier: String = "medium") async throws
        -> (HealingPass.IncidentStep, [RemediationRecord], [[String]]) {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let runner = FakeProcessRunner()
        let start = StaleIncidentPassTests.start, live = StaleIncidentPassTests.live
        let clock = FixedClock(Date(timeIntervalSince1970: Double(live + 900 + 20)))
        let context = try StaleIncidentPassTests.context(folder, clock: clock, runner: runner, rules: rules, actionTier: actionTier)
        try StaleIncidentPassTests.store(from: start, to: live, faults: [], context)
        try StaleIncidentPassTests.store(from: live, to: live + 900, faults: [DemoFleet.Fault(service: "postgres", start: live + 600)], context)
        if let alert {
            let at = (live + 600) * 1000
            _ = try context.store.database.write {
                try AnomalyEventStore.record([AnomalyRecord(
                    seriesKey: SeriesKey(name: "ALERTS", labels: ["alertname": alert, "service": "postgres"]).description, service: "postgres",
                    start: at, end: at, peakTime: at, peakValue: 1, expectedLow: nil, expectedHigh: nil, score: 1,
                    detectors: AnomalyRecord.alertmanagerDetector, recorded: context.clock.now(), source: AnomalyRecord.alertSource(alert))], in: $0)
            }
        }
        let step = try #require(try await StaleIncidentPassTests.pass(context).first { $0.action != nil })
        let rows = try context.store.database.read { try RemediationStore.list(incident: String(step.incident), in: $0) }
        // The incident keeps the tier its remediation was decided by (its alert's severity rests on it), and a
        // remediation that goes to a person takes the incident with it.
        let stored = try context.store.database.read { try IncidentStore.get(step.incident, in: $0) }
        #expect(stored?.tier == step.tier, "\(String(describing: stored?.tier)) \(String(describing: step.tier))")
        if step.outcome.hasPrefix("escalated") { #expect(stored?.status == .escalated, "\(step.outcome)") }
        return (step, rows, runner.requests.map(\.argv))
    }

    @Test func anAnomalyAloneIsWeighedByHowLikelyItIsAFault() async throws {
        let (step, rows, _) = try await Self.incident(rules: "")
        let reality = try #require(step.faultReality)
        let probability = try #require(reality.probability)
        let cause = try #require(step.confidence)
        #expect(reality.basis == .anomaly)
        // A fitted event confidence never reaches certainty: the fault is less sure than the cause.
        #expect(probability > 0 && probability < 0.8, "\(probability)")
        let acting = try #require(step.actingConfidence)
        // The demo fleet's pool exhaustion: a saturated anomaly (0.70) and a sole candidate (1.0). Without a
        // rule it stays below the line where aurora acts alone, and a person approves.
        let tiers = ConfidenceTiers()
        #expect(abs(acting - min(probability * cause, tiers.autoWithMonitoring - FaultReality.belowTheLine)) < 1e-12)
        #expect(step.tier == tiers.tier(for: acting) && step.tier == .approval, "\(String(describing: step.tier))")
        #expect(step.weighing?.contains(" → " + reality.actingText(on: cause, tiers: tiers) + ", approval") == true, "\(step.weighing ?? "")")
        // What the remediation was decided on is what its record keeps.
        let row = try #require(rows.first)
        #expect(abs((row.confidence ?? -1) - acting) < 1e-12, "\(rows)")
        // And what the watcher's alert says beside the cause's confidence.
        #expect(step.alertText.actingConfidence == acting && step.alertText.confidence == cause)
    }

    @Test func anOperatorsRuleVouchesForTheFaultAndTheCauseDecides() async throws {
        let (step, rows, argv) = try await Self.incident(rules: StaleIncidentPassTests.poolRule)
        #expect(step.faultReality?.basis == .rule(DemoFleet.poolRuleName))
        #expect(step.actingConfidence == step.confidence && (step.confidence ?? 0) > 0.9)
        #expect(step.outcome.hasPrefix("executed: succeeded"), "\(step.outcome)")
        #expect(argv == [["restart", "postgres"]])
        #expect(rows.first?.confidence == step.confidence)
    }

    @Test func anAlertmanagerAlertVouchesForTheFaultAndAnUnconfiguredNameDoesNot() async throws {
        let (step, _, argv) = try await Self.incident(rules: "", alert: "PostgresPoolExhausted")
        #expect(step.faultReality?.basis == .rule("alert PostgresPoolExhausted"), "\(String(describing: step.faultReality))")
        #expect(step.actingConfidence == step.confidence)
        #expect(argv == [["restart", "postgres"]], "\(step.outcome)")
        // A rule of another name in the configuration vouches for nothing here.
        let other = try await Self.incident(rules: """
              detection:
                rules:
                  - name: checkout-slow
                    match: latency_ms{service="checkout"}
                    above: 100000
            """).0
        #expect(other.faultReality?.basis == .anomaly)
    }

    /// A learned pattern's match is decided on the pattern's own confidence: what is stored says so, and
    /// `incidents show` then shows no weighing.
    @Test func aStoredLearnedPatternMatchIsKnownAsOne() {
        #expect(StoredDiagnosis(#"{"learned_pattern": 3, "cause": "pool exhausted"}"#).viaLearnedPattern)
        #expect(!StoredDiagnosis(#"{"candidates": [{"rank": 1, "service": "postgres", "cause": "pool exhausted"}]}"#).viaLearnedPattern)
        #expect(!StoredDiagnosis(nil).viaLearnedPattern)
    }

    /// A critical action is never executed: the incident goes to a person, whatever the confidence.
    @Test func aCriticalActionEscalatesTheIncident() async throws {
        let (step, rows, argv) = try await Self.incident(rules: StaleIncidentPassTests.poolRule, actionTier: "critical")
        #expect(step.outcome.hasPrefix("escalated: critical actions are never executed"), "\(step.outcome)")
        #expect(rows.first?.rule == "tier.critical" && argv.isEmpty)
    }
}
