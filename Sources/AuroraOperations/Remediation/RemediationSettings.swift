import AuroraConfig
import AuroraCore
import AuroraRemediation
import Foundation

/// The `remediation`, `governance`, `freeze` and `safety` sections mapped onto the remediation
/// engine's types: actions, policy configuration, approval policy, configured freeze windows.
package struct RemediationSettings: Sendable {
    /// Configured actions by name.
    package var actions: [String: ActionDefinition]
    /// Declared parameters of each action and their defaults (empty string: required).
    package var parameterDefaults: [String: [String: String]]
    /// Rate limits, governance and the confidence tiers.
    package var policy: PolicyConfiguration
    /// Approval rules.
    package var approval: ApprovalPolicy
    /// Recurring freeze windows from the configuration (ids `config-1`, `config-2`, …).
    package var freezeWindows: [FreezeWindow]
    /// Seconds between SIGTERM and SIGKILL on timeout.
    package var killGrace: Double

    /// Action names, sorted.
    package var actionNames: [String] { actions.keys.sorted() }

    /// Maps a validated configuration; throws a configuration failure naming the key at fault.
    package static func load(_ configuration: Configuration) throws -> RemediationSettings {
        var actions: [String: ActionDefinition] = [:]
        var defaults: [String: [String: String]] = [:]
        for (name, value) in configuration.value("remediation.actions")?.pairs ?? [] {
            let path = "aurora.remediation.actions.\(name)"
            actions[name] = try action(name: name, value, path: path)
            defaults[name] = strings(value["params"])
        }
        let safety = try SafetySettings(configuration: configuration)
        let limits = RateLimits(maxConcurrent: safety.maxConcurrentRemediations, maxPerHour: safety.maxRemediationsPerHour,
                                serviceCooldown: safety.cooldownBetweenSameService, failuresBeforeKillSwitch: safety.maxConsecutiveFailures)
        var rules: [GovernancePolicy.Rule] = []
        for (index, rule) in (configuration.value("governance.rules")?.list ?? []).enumerated() {
            let path = "aurora.governance.rules[\(index)]"
            guard let effectText = rule["effect"]?.string, let effect = GovernancePolicy.Rule.Effect(rawValue: effectText) else {
                throw SimpleFailure(.configuration, "\(path).effect: give allow or deny")
            }
            let tiers = (rule["tiers"]?.list ?? []).compactMap { $0.string.flatMap(RiskTier.init(rawValue:)) }
            rules.append(GovernancePolicy.Rule(
                name: rule["name"]?.string ?? "rule-\(index + 1)", effect: effect,
                types: Set((rule["types"]?.list ?? []).compactMap { $0.string.map { ActionType($0) } }),
                services: Set((rule["services"]?.list ?? []).compactMap(\.string)), tiers: Set(tiers)))
        }
        let governance = GovernancePolicy(rules: rules, maxServicesPerIncident: configuration.value("governance.max-services-per-incident")?.int,
                                          dryRun: try configuration.flag("governance.dry-run"))
        let approval = ApprovalPolicy(approvalTTL: try configuration.seconds("governance.approval-ttl"),
                                      pendingTTL: try configuration.seconds("governance.pending-ttl"),
                                      allowSelfApproval: try configuration.flag("governance.allow-self-approval"))
        var windows: [FreezeWindow] = []
        for (index, item) in (configuration.value("freeze.windows")?.list ?? []).enumerated() {
            guard let text = item["weekly"]?.string else {
                throw SimpleFailure(.configuration, "aurora.freeze.windows[\(index)].weekly: give a weekly window, e.g. Fri 16:00 – Mon 08:00 Europe/Berlin")
            }
            do {
                windows.append(FreezeWindow(id: "config-\(index + 1)", service: item["service"]?.string, schedule: .weekly(try WeeklyWindow(parsing: text)),
                                            reason: item["reason"]?.string ?? ""))
            } catch {
                throw SimpleFailure(.configuration, "aurora.freeze.windows[\(index)].weekly: \(error.description)")
            }
        }
        let staleAfter = try configuration.seconds("remediation.stale-after")
        return RemediationSettings(
            actions: actions, parameterDefaults: defaults,
            policy: PolicyConfiguration(rateLimits: limits, governance: governance, tiers: try configuration.confidenceTiers,
                                        staleAfter: staleAfter > 0 ? staleAfter : nil),
            approval: approval, freezeWindows: windows, killGrace: try configuration.seconds("remediation.kill-grace"))
    }

    static func strings(_ value: ConfigValue?) -> [String: String] {
        var result: [String: String] = [:]
        for (key, item) in value?.pairs ?? [] { result[key] = item.string ?? "" }
        return result
    }

    static func orderedStrings(_ value: ConfigValue?) -> [(String, String)] {
        (value?.pairs ?? []).map { ($0.0, $0.1.string ?? "") }
    }

    /// The schema's path of an action's keys, `*` standing for the action's name.
    static let actionPattern = "remediation.actions.*"

    /// Every value the file leaves out is the schema's default, read through the typed readers. A block
    /// that could do nothing (a health check without a probe, a rollback without an executor, an `http`
    /// without a url) is an error, never dropped: loading a file reports it with its location
    /// (`ActionRules`); this covers a configuration built by hand.
    static func action(name: String, _ value: ConfigValue, path: String) throws -> ActionDefinition {
        guard let typeText = value["type"]?.string, !typeText.isEmpty else {
            throw SimpleFailure(.configuration, "\(path).type: every action needs a type (e.g. service-restart)")
        }
        let entry = "remediation.actions.\(name)"
        let tier = value["tier"]?.string.flatMap(RiskTier.init(rawValue:))
        guard let main = try executorSpec(value, at: entry, pattern: actionPattern) else {
            throw SimpleFailure(.configuration, "\(path): give one of command, shell or http")
        }
        var healthCheck: HealthCheckSpec?
        if let check = value["health-check"] {
            let at = entry + ".health-check", pattern = actionPattern + ".health-check"
            let probe: HealthCheckSpec.Probe
            if let command = check["command"]?.list?.compactMap(\.string) {
                guard !command.isEmpty else { throw SimpleFailure(.configuration, "aurora.\(at).command: the argv is empty") }
                probe = .exec(command: command)
            } else if let http = check["http"] {
                probe = .http(method: try Configuration.text("method", of: http, at: at + ".http", pattern: pattern + ".http.method"),
                              url: try url(of: http, at: at + ".http"), headers: headers(http["headers"]),
                              expectedStatuses: try statuses(http, at: at + ".http", pattern: pattern + ".http.expected-status"),
                              bodyContains: http["body-contains"]?.string)
            } else {
                throw SimpleFailure(.configuration, "aurora.\(at): give command or http (a health check without a probe checks nothing)")
            }
            healthCheck = HealthCheckSpec(
                probe: probe, retries: try Configuration.integer("retries", of: check, at: at, pattern: pattern + ".retries"),
                interval: try Configuration.seconds("interval", of: check, at: at, pattern: pattern + ".interval"),
                timeout: try Configuration.seconds("timeout", of: check, at: at, pattern: pattern + ".timeout"))
        }
        var rollback: RollbackSpec?
        let undoPattern = actionPattern + ".rollback"
        if let undo = value["rollback"] {
            guard let undoExecutor = try executorSpec(undo, at: entry + ".rollback", pattern: undoPattern) else {
                throw SimpleFailure(.configuration, "\(path).rollback: give one of command, shell or http")
            }
            rollback = RollbackSpec(executor: undoExecutor,
                                    timeout: try Configuration.seconds("timeout", of: undo, at: entry + ".rollback", pattern: undoPattern + ".timeout"))
        }
        return ActionDefinition(name: name, type: ActionType(typeText), tier: tier, executor: main,
                                timeout: try Configuration.seconds("timeout", of: value, at: entry, pattern: actionPattern + ".timeout"),
                                healthCheck: healthCheck, rollback: rollback)
    }

    /// The executor of an action or its rollback: `entry` names it in messages (`remediation.actions.restart`),
    /// `pattern` is its place in the schema (`remediation.actions.*`).
    static func executorSpec(_ value: ConfigValue, at entry: String, pattern: String) throws -> ExecutorSpec? {
        let path = "aurora.\(entry)"
        let command = value["command"]?.list?.compactMap(\.string)
        let shell = value["shell"]?.string
        let http = value["http"]
        let given = [command != nil, shell != nil, http != nil].filter { $0 }.count
        if given > 1 { throw SimpleFailure(.configuration, "\(path): give only one of command, shell or http") }
        var environment = orderedStrings(value["environment"]).map { EnvironmentEntry(name: $0.0, value: $0.1) }
        environment += orderedStrings(value["secret-environment"]).map { EnvironmentEntry(name: $0.0, value: $0.1, secret: true) }
        let directory = value["working-directory"]?.string
        if let command {
            guard !command.isEmpty else { throw SimpleFailure(.configuration, "\(path).command: the argv is empty") }
            return .exec(ExecSpec(command: command, workingDirectory: directory, environment: environment))
        }
        if let shell { return .shell(ShellSpec(script: shell, workingDirectory: directory, environment: environment)) }
        if let http {
            let at = entry + ".http", httpPattern = pattern + ".http"
            let url = try url(of: http, at: at)
            let body: JSONTemplate? = http["body"].map { body in .object(orderedStrings(body).map { (key: $0.0, value: .string($0.1)) }) }
            let retries = try Configuration.integer("retries", of: http, at: at, pattern: httpPattern + ".retries")
            return .http(HTTPSpec(method: try Configuration.text("method", of: http, at: at, pattern: httpPattern + ".method"),
                                  url: url, headers: headers(http["headers"]), body: body,
                                  expectedStatuses: try statuses(http, at: at, pattern: httpPattern + ".expected-status"),
                                  retry: RetryPolicy(maxAttempts: 1 + retries)))
        }
        return nil
    }

    /// The `url` of an `http:` block, which nothing can replace.
    static func url(of http: ConfigValue, at entry: String) throws -> String {
        guard let url = http["url"]?.string, !url.isEmpty else { throw SimpleFailure(.configuration, "aurora.\(entry): missing url") }
        return url
    }

    static func headers(_ value: ConfigValue?) -> [HeaderTemplate] {
        orderedStrings(value).map { HeaderTemplate(name: $0.0, value: $0.1) }
    }

    /// `expected-status` of an `http:` block; an empty list means the schema's default, as it always has
    /// (no status at all would fail every request).
    static func statuses(_ http: ConfigValue, at entry: String, pattern: String) throws -> Set<Int> {
        let given = try Configuration.list("expected-status", of: http, at: entry, pattern: pattern)
        let statuses = given.isEmpty ? try Configuration.list("expected-status", of: .object([]), at: entry, pattern: pattern) : given
        return Set(statuses.compactMap(\.int))
    }
}
