import AuroraConfig
import AuroraCore
import AuroraStore
import Foundation

/// Resolves incidents whose condition cleared and stayed clear (`diagnosis.recovered-after`), as
/// Prometheus resolves an alert: most incidents are transients that end by themselves, and one nobody
/// has to act on should not stay open, and its alert firing, for ever.
///
/// Quiet is judged on data, never on the wall clock alone: no anomaly on any of the incident's series
/// for the whole period after its last one, and every series it rests on still reporting past that
/// period (over a dump, an incident at the very end of the data has not recovered: nothing shows it
/// did). Series that stopped reporting (absent-data events) have not recovered until they report again
/// for the period. The loop's clock must be past the period too. An incident with a remediation queued,
/// approved, running or failed is left to the person or the remediation, and one a person reopened to them.
struct QuietRecovery {
    /// The quiet period, seconds (> 0).
    let period: TimeInterval
    /// How long before an absent-data event a series of its service may have stopped and still be one of
    /// those that left with it (the incident gap: the grouping's own measure of "together"), ms.
    let departure: Int64

    /// nil when `diagnosis.recovered-after` is 0 (incidents never resolve by themselves).
    init?(configuration: Configuration) throws {
        period = try configuration.seconds("diagnosis.recovered-after")
        departure = Int64(try configuration.seconds("diagnosis.incident-gap") * 1000)
        if period <= 0 { return nil }
    }

    /// Whether `quiet` is quiet enough at `now`.
    func hasRecovered(_ quiet: IncidentQuiet, now: Date) -> Bool {
        let through = quiet.quietSince + Int64(period * 1000)
        guard let reporting = quiet.reportingThrough else { return false }
        return reporting >= through && now.unixMilliseconds >= through
    }

    /// What the incident's resolution says.
    func message(_ quiet: IncidentQuiet) -> String {
        "recovered without action after \(DurationText.format(period)) quiet: no anomaly on its series and all reporting from "
            + "\(CivilTime.iso(quiet.quietSince)) to \(CivilTime.iso(quiet.reportingThrough ?? quiet.quietSince))"
    }

    /// Resolves every quiet incident among `incidents` (one transaction each, audited as `incident.recovered`
    /// by `actor`; nothing is learned: nothing was done) and returns the step of each, whose alert text keeps
    /// what `said` (this pass) or the stored alert text said of it. With `dryRun`, says what would be
    /// resolved and resolves nothing.
    func resolve(_ incidents: [IncidentRecord], said: [Int64: IncidentAlertText], dryRun: Bool, actor: String,
                 context: OperationsContext) throws -> [HealingPass.IncidentStep] {
        let now = context.clock.now()
        var steps: [HealingPass.IncidentStep] = []
        for incident in incidents {
            // Most open incidents are not quiet yet: a read says so without taking the write lock.
            let candidate = try context.store.database.read { db in
                try IncidentStore.quiet(of: incident.id, departure: departure, in: db).map { hasRecovered($0, now: now) } ?? false
            }
            guard candidate else { continue }
            // Read again and resolved in one transaction: an anomaly or a remediation another process
            // recorded meanwhile is seen.
            let outcome = try context.store.database.write { db -> (IncidentQuiet, IncidentAlertText?)? in
                guard let quiet = try IncidentStore.quiet(of: incident.id, departure: departure, in: db), hasRecovered(quiet, now: now),
                      try !IncidentStore.hasRemediationInHand(incident.id, in: db), try !IncidentStore.wasReopened(incident.id, in: db)
                else { return nil }
                if !dryRun {
                    let message = message(quiet)
                    guard try IncidentStore.recordRecovery(incident.id, message: message, actor: actor, at: now, in: db) else { return nil }
                    try AuditLog.append(AuditEntry(at: now, actor: actor, action: "incident.recovered", subject: "incident:\(incident.id)",
                                                   detail: message, outcome: "resolved"), to: db)
                }
                return (quiet, try said[incident.id] ?? IncidentAlertTextStore.texts(of: [incident.id], in: db)[incident.id])
            }
            guard let (quiet, previous) = outcome else { continue }
            steps.append(step(incident, quiet: quiet, previous: previous, dryRun: dryRun))
        }
        return steps
    }

    /// The step of a recovered incident: its alert keeps what it said (the diagnosis, the evidence), its
    /// action is the recovery.
    private func step(_ incident: IncidentRecord, quiet: IncidentQuiet, previous: IncidentAlertText?, dryRun: Bool) -> HealingPass.IncidentStep {
        let summary = previous?.summary ?? incident.cause ?? DiagnosisHeadline.anomaly(on: incident.services)
        var step = HealingPass.IncidentStep(incident: incident.id, services: incident.services, diagnosis: summary, viaLearnedPattern: false,
                                            confidence: previous?.confidence ?? incident.confidence, tier: incident.tier, action: nil,
                                            target: nil, outcome: "", remediationID: nil, resolved: !dryRun, notes: [],
                                            decisionMilliseconds: 0)
        step.confidenceMeasured = previous?.confidenceMeasured ?? true
        step.evidence = previous?.description.map { [$0] } ?? []
        step.recoveredAfter = period
        let text = message(quiet)
        step.outcome = dryRun ? "dry run: would resolve: \(text)" : text
        if !dryRun { step.notes = ["incident \(incident.id) resolved: \(text) (nothing learned: nothing was done)"] }
        return step
    }
}
