import AuroraStore

extension HealingPass.IncidentStep {
    /// What the incident's alert says after this step: the diagnosis, its strongest evidence, the
    /// action with its outcome (or the outcome alone), the confidence in the cause and the one the
    /// remediation was decided on. `aurora watch` stores it (`IncidentAlertTextStore`), so a restarted
    /// watcher posts the same annotations.
    package var alertText: IncidentAlertText {
        IncidentAlertText(summary: diagnosis, description: evidence.first, action: action.map { "\($0): \(outcome)" } ?? outcome,
                          confidence: confidence, confidenceMeasured: confidenceMeasured, actingConfidence: actingConfidence)
    }
}
