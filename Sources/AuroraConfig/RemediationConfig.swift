/// The `remediation`, `governance` and `freeze` sections. The typed mapping to the remediation
/// engine's `ActionDefinition` and policy lives in AuroraOperations (`RemediationSettings`), because this
/// module does not depend on the engine; it reads every default from here.
extension ConfigSchema {
    /// An executor: exactly one of `command`, `shell` or `http` (checked by the loader, `ActionRules`).
    static let executorKeys: [ConfigKey] = [
        ConfigKey("command", .list(.string), "argv run without a shell; each element templated on its own ({service}, {incident}, {param.NAME}).",
                  example: "[kubectl, rollout, restart, \"deployment/{service}\"]"),
        ConfigKey("shell", .string, "a fixed script for /bin/sh -c; values reach it only as AURORA_SERVICE, AURORA_PARAM_* variables."),
        ConfigKey("http", .object(executorHTTPKeys), "an HTTP request."),
        ConfigKey("working-directory", .string, "working directory of the process."),
        ConfigKey("environment", .map(.string), "extra environment variables (values templated; ${NAME} reads a secret from aurora's environment)."),
        ConfigKey("secret-environment", .map(.string), "extra environment variables whose whole value is a secret (redacted everywhere)."),
    ]

    /// `http:` of an executor: a request that changes something, retried when it did not get through.
    static let executorHTTPKeys = httpKeys(method: "POST", retries: "2")

    /// `http:` of a health check: a probe, tried once per try of the check (the check itself retries).
    static let probeHTTPKeys = httpKeys(method: "GET", retries: nil)

    /// The keys of an `http:` block. Executors and probes accept the same keys, as they always have; each
    /// gives defaults only to what it uses (`retries` and `body` are the executor's, `body-contains` the
    /// probe's), so that `aurora config show` prints what applies, and the loader warns about a key given
    /// where it is not used (`ActionRules`). A `url` is required, but by `ActionRules`: the schema has no
    /// required keys, and a missing one must be named at its block.
    private static func httpKeys(method: String, retries: String?) -> [ConfigKey] {
        [
            ConfigKey("method", .choice(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]), default: method, "HTTP method."),
            ConfigKey("url", .string, "URL template; templated values are percent-encoded."),
            ConfigKey("headers", .map(.string), "header templates; ${NAME} reads a secret from aurora's environment (redacted everywhere)."),
            ConfigKey("body", .map(.string), "executors only (a health check's http ignores it, with a warning): a flat JSON object body; values templated and JSON-escaped."),
            ConfigKey("expected-status", .list(.integer(min: 100, max: 599)), default: "[200, 201, 202, 204]",
                      "statuses that mean success (an empty list means the default)."),
            ConfigKey("retries", .integer(min: 0, max: 10), default: retries,
                      "executors only (a health check's http ignores it, with a warning): retries on connection errors, 5xx and 429 (exponential back-off, jitter)."),
            ConfigKey("body-contains", .string, "health checks only (an executor's http ignores it, with a warning): text the response body must contain."),
        ]
    }

    /// `health-check:` of an action.
    static let healthCheckKeys: [ConfigKey] = [
        ConfigKey("command", .list(.string), "argv of a probe that passes when it exits 0."),
        ConfigKey("http", .object(probeHTTPKeys), "an HTTP probe."),
        ConfigKey("retries", .integer(min: 0, max: 100), default: "3", "extra tries after the first failing one."),
        ConfigKey("interval", .duration, default: "5s", "time between tries."),
        ConfigKey("timeout", .duration, default: "10s", "time one try may take."),
    ]

    /// One action under `remediation.actions`.
    static let actionKeys: [ConfigKey] = [
        ConfigKey("type", .string, "the action type (scale-up, service-restart, database-failover, …): kill switches and governance match it."),
        ConfigKey("tier", .choice(["low", "medium", "high", "critical"]), "risk tier (default: the type's catalogue tier, else medium)."),
        ConfigKey("timeout", .duration, default: "300s", "time the executor may run before its process group is stopped."),
        ConfigKey("params", .map(.string), "accepted parameters and their defaults (empty string: required)."),
    ] + executorKeys + [
        ConfigKey("health-check", .object(healthCheckKeys), "verifies the effect after execution."),
        ConfigKey("rollback", .object(executorKeys + [ConfigKey("timeout", .duration, default: "300s", "time the rollback may run.")]),
                  "undoes the action when it or its health check fails."),
    ]

    /// `aurora.remediation`.
    package static let remediationKeys: [ConfigKey] = [
        ConfigKey("actions", .map(.object(actionKeys)), "remediation actions by name.", example: """
            restart-checkout:
              type: service-restart
              command: [systemctl, restart, "{service}"]
              timeout: 60s
            """),
        ConfigKey("kill-grace", .duration, default: "5s", "time between SIGTERM and SIGKILL when an executor times out."),
        // 15m: three times diagnosis.incident-gap's default (a fault quiet that long has ended, by the grouping's
        // own measure, twice over) and sixty passes of watch.interval's, so a fault still going on is always fresh.
        ConfigKey("stale-after", .duration, default: "15m",
                  "heal and watch do not remediate by themselves an incident whose last anomaly is older than this (it is still diagnosed and recorded; a person may still act); 0: no limit. Longer than watch.interval + sources.prometheus.step."),
    ]

    /// One governance rule.
    static let governanceRuleKeys: [ConfigKey] = [
        ConfigKey("name", .string, "the rule's name, reported in every decision it makes."),
        ConfigKey("effect", .choice(["allow", "deny"]), "allow or deny."),
        ConfigKey("types", .list(.string), "action types it matches (empty: all)."),
        ConfigKey("services", .list(.string), "services it matches (empty: all)."),
        ConfigKey("tiers", .list(.choice(["low", "medium", "high", "critical"])), "tiers it matches (empty: all)."),
    ]

    /// `aurora.governance`.
    package static let governanceKeys: [ConfigKey] = [
        ConfigKey("rules", .list(.object(governanceRuleKeys)), "allow/deny rules; the first matching deny refuses; with allow rules, one must match.",
                  example: "[{name: no-db-failover, effect: deny, types: [database-failover]}]"),
        ConfigKey("max-services-per-incident", .integer(min: 1, max: 10_000), "services one incident may touch (default: no limit).", example: "3"),
        ConfigKey("dry-run", .boolean, default: "false", "when true nothing executes: every decision is shown and recorded only."),
        ConfigKey("approval-ttl", .duration, default: "1h", "how long an approval stays valid."),
        ConfigKey("pending-ttl", .duration, default: "24h", "how long a queued remediation waits for a decision before it expires."),
        ConfigKey("allow-self-approval", .boolean, default: "false", "whether the requester may approve their own request."),
    ]

    /// One configured recurring freeze window.
    static let freezeWindowKeys: [ConfigKey] = [
        ConfigKey("weekly", .string, "DAY HH:MM – DAY HH:MM ZONE, e.g. Fri 16:00 – Mon 08:00 Europe/Berlin."),
        ConfigKey("service", .string, "the one service it freezes (default: all)."),
        ConfigKey("reason", .string, "why (shown in refusals)."),
    ]

    /// `aurora.freeze`.
    package static let freezeKeys: [ConfigKey] = [
        ConfigKey("windows", .list(.object(freezeWindowKeys)), "recurring change freezes (aurora freeze add stores more).",
                  example: "[{weekly: \"Fri 16:00 – Mon 08:00 Europe/Berlin\", reason: weekend}]"),
    ]
}
