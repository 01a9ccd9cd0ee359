import AuroraDiagnosis

/// `aurora.diagnosis` and `aurora.services`: incident grouping, root-cause analysis, confidence tiers,
/// pattern directories, the optional AI hypothesis, and the service dependency graph. Defaults come from
/// the engine's own types.
extension ConfigSchema {
    static var diagnosisKeys: [ConfigKey] {
        let options = DiagnosisOptions()
        return [
            ConfigKey("incident-gap", .duration, default: "5m", "Anomalies this close in time join one incident."),
            // 30m: six incident gaps. Detection precision is about 0.4, so most incidents are transients that end
            // by themselves; one whose series kept reporting normally this long has recovered, as Prometheus
            // resolves an alert whose condition cleared (and Alertmanager stops notifying).
            ConfigKey("recovered-after", .duration, default: "30m",
                      "An unresolved incident with no anomaly on its series for this long, while they kept reporting, resolves by itself (recovered without action; not while a remediation is queued or running); 0: never. Longer than incident-gap."),
            ConfigKey("incident-min-score", .number(min: 0, max: 1), default: "0.5",
                      "Score an anomaly event needs to open an incident; weaker events join one a stronger event opened."),
            ConfigKey("history-window", .duration, default: "1h", "How much data before an incident is its baseline."),
            ConfigKey("change-threshold", .number(min: 0.1, max: 1000), default: number(options.changeThreshold),
                      "Sustained robust z-score from which a series counts as changed."),
            ConfigKey("confidence-tiers", .object([
                ConfigKey("auto-execute", .number(min: 0, max: 1), default: number(options.tiers.autoExecute),
                          "Confidence above which remediation runs automatically."),
                ConfigKey("auto-with-monitoring", .number(min: 0, max: 1), default: number(options.tiers.autoWithMonitoring),
                          "Confidence above which it runs automatically, watched."),
                ConfigKey("approval", .number(min: 0, max: 1), default: number(options.tiers.approval),
                          "Confidence above which a human approves it; below, it is escalated."),
            ]), "What a diagnosis' confidence allows (the architecture's tiers): the diagnosis labels its candidates and the remediation policy decides with these lines."),
            ConfigKey("pattern-directories", .list(.string), "Folders of pattern YAML files added to the built-in library.",
                      example: "[/etc/aurora/patterns]"),
            ConfigKey("llm", .object([
                ConfigKey("enabled", .boolean, default: "false", "Ask an OpenAI-compatible chat-completions endpoint for a hypothesis."),
                ConfigKey("url", .string, "The base URL; /chat/completions is appended.",
                          example: "https://llm.internal/v1"),
                ConfigKey("model", .string, "The model name.", example: "gpt-4o-mini"),
                ConfigKey("api-key-env", .string, "The environment variable that holds the API key (never the key itself).",
                          example: "AURORA_LLM_API_KEY"),
                ConfigKey("timeout", .duration, default: "20s", "Give up and fall back to the other evidence after this long."),
            ]), "Optional AI hypothesis; any failure falls back silently and is noted in the timeline."),
        ]
    }

    static var serviceKeys: [ConfigKey] {
        [ConfigKey("depends-on", .list(.string), "Services this one calls (its dependencies).")]
    }
}
