import AuroraLearning

/// `aurora.learning` and `aurora.slo`, with the engine's defaults.
extension ConfigSchema {
    static var learningKeys: [ConfigKey] {
        let learner = PatternLearner()
        return [
            ConfigKey("match-threshold", .number(min: 0.01, max: 1), default: number(learner.matchThreshold),
                      "Symptom similarity (Jaccard) from which a resolved incident reinforces a learned pattern."),
            ConfigKey("immunity-confidence", .number(min: 0, max: 1), default: number(learner.immunityConfidence),
                      "Confidence from which a matching incident skips root-cause analysis for the learned playbook."),
        ]
    }

    static var sloKeys: [ConfigKey] {
        let targets = ServiceLevelTargets()
        return [
            ConfigKey("mttr", .duration, default: "5m", "Mean time to recover, below."),
            ConfigKey("detection-latency", .duration, default: "30s", "From the first anomalous point to its being recorded, below."),
            ConfigKey("precision", .number(min: 0, max: 1), default: number(targets.precision), "Share of incidents that were real, above."),
            ConfigKey("auto-resolution", .number(min: 0, max: 1), default: number(targets.autoResolution),
                      "Share of incidents resolved without a human, above."),
            ConfigKey("rollback-rate", .number(min: 0, max: 1), default: number(targets.rollbackRate),
                      "Share of executed remediations rolled back, below."),
        ]
    }
}
