import AuroraCore

/// What each action under `remediation.actions` must give to do anything, checked once every key is
/// valid on its own. The schema cannot say it: every key of an action's blocks is optional, yet a
/// `health-check` with no probe checks nothing, a `rollback` with no executor undoes nothing, and an
/// `http` block without a `url` sends nothing. Left to the remediation code, such a block was dropped in
/// silence (while `aurora config show` printed its defaults, as if it ran) or failed only when an action
/// ran, without a location; here it is a configuration error at the block, and `aurora config check`
/// names it.
///
/// The executor and probe `http` blocks share one set of keys (files have always been allowed to write
/// them all); a key one of them does not use is still accepted, so that such files keep loading, but
/// warned about: the operator believes it does something.
///
/// The rules run even when validation found problems elsewhere, so that one `config check` reports them
/// all; a rule that a key is missing stays silent where validation already reported that key (invalid,
/// hence dropped) or a misspelt key beside it, which would otherwise be reported a second time as absent.
struct ActionRules {
    /// Where the file writes the key at a full path (`aurora.remediation.actions.restart.http`): the
    /// location of the key itself; nil when the file does not give it.
    let location: (String) -> SourceLocation?
    /// Where a problem goes when its key has no location of its own (never expected after validation).
    let fallback: SourceLocation
    /// What validation reported before the rules run.
    let earlierIssues: [ConfigIssue]
    private(set) var errors: [ConfigIssue] = []
    private(set) var warnings: [ConfigIssue] = []

    init(fallback: SourceLocation, earlierIssues: [ConfigIssue] = [], location: @escaping (String) -> SourceLocation?) {
        self.fallback = fallback
        self.earlierIssues = earlierIssues
        self.location = location
    }

    /// Checks every action of the validated `remediation.actions` map found at `path`.
    mutating func check(actions: ConfigValue, at path: String) {
        for (name, action) in actions.pairs ?? [] { check(action: action, at: "\(path).\(name)") }
    }

    private mutating func check(action: ConfigValue, at path: String) {
        if (action["type"]?.string ?? "").isEmpty && !mayLookMissing(["type"], in: path) {
            error(.missingKey, at: "\(path).type", "\(path).type: every action needs a type (e.g. service-restart)")
        }
        checkExecutor(action, at: path)
        if let check = action["health-check"] { checkHealthCheck(check, at: "\(path).health-check") }
        if let rollback = action["rollback"] { checkExecutor(rollback, at: "\(path).rollback") }
    }

    /// An action or its rollback runs exactly one of `command`, `shell` or `http`.
    private mutating func checkExecutor(_ block: ConfigValue, at path: String) {
        let executors = ["command", "shell", "http"]
        let given = executors.filter { block[$0] != nil }
        if given.isEmpty && !mayLookMissing(executors, in: path) {
            error(.missingKey, at: path, "\(path): give one of command, shell or http (it has nothing to run)")
        } else if given.count > 1 {
            error(.conflict, at: "\(path).\(given[1])", "\(path): give only one of command, shell or http (found \(given.joined(separator: " and ")))")
        }
        checkArgv(block, at: path)
        if let http = block["http"] {
            checkURL(http, at: "\(path).http")
            ignored("body-contains", at: "\(path).http",
                    because: "an executor's request succeeds on its status (expected-status); body-contains is a health check's")
        }
    }

    /// A health check runs its `command` or its `http` probe; with neither it would check nothing.
    private mutating func checkHealthCheck(_ check: ConfigValue, at path: String) {
        let http = check["http"]
        if check["command"] == nil && http == nil && !mayLookMissing(["command", "http"], in: path) {
            error(.missingKey, at: path, "\(path): give command or http (a health check without a probe checks nothing)")
        }
        checkArgv(check, at: path)
        if let http {
            checkURL(http, at: "\(path).http")
            if check["command"] != nil {
                warn("\(path).http", "ignored here: the command is the probe (give one of command or http)")
            }
            ignored("retries", at: "\(path).http",
                    because: "the probe is tried once per try of the check (health-check.retries sets the tries)")
            ignored("body", at: "\(path).http", because: "a probe sends no body")
        }
    }

    private mutating func checkArgv(_ block: ConfigValue, at path: String) {
        if let argv = block["command"]?.list, argv.isEmpty {
            error(.invalidValue, at: "\(path).command", "\(path).command: the argv is empty")
        }
    }

    private mutating func checkURL(_ http: ConfigValue, at path: String) {
        if (http["url"]?.string ?? "").isEmpty && !mayLookMissing(["url"], in: path) {
            error(.missingKey, at: "\(path).url", "\(path): missing url")
        }
    }

    /// A key the block accepts but does not use, when the file gives it.
    private mutating func ignored(_ key: String, at path: String, because reason: String) {
        guard location("\(path).\(key)") != nil else { return }
        warn("\(path).\(key)", "ignored here: \(reason)")
    }

    private mutating func error(_ kind: ConfigIssueKind, at keyPath: String, _ message: String) {
        errors.append(ConfigIssue(location: nearestLocation(keyPath), kind: kind, key: keyPath, message: message))
    }

    private mutating func warn(_ keyPath: String, _ reason: String) {
        warnings.append(ConfigIssue(location: nearestLocation(keyPath), kind: .ignoredKey, key: keyPath,
                                    message: "\(keyPath): \(reason)"))
    }

    /// Whether validation reported one of `keys` of the block at `path` (or something inside one), or an
    /// unknown key directly in the block (a misspelt `comand`): either can be why the block lacks them.
    private func mayLookMissing(_ keys: [String], in path: String) -> Bool {
        earlierIssues.contains { issue in
            guard let key = issue.key else { return false }
            if issue.kind == .unknownKey, key.hasPrefix(path + "."), !key.dropFirst(path.count + 1).contains(".") { return true }
            return keys.contains { name in
                let given = "\(path).\(name)"
                return key == given || key.hasPrefix(given + ".") || key.hasPrefix(given + "[")
            }
        }
    }

    /// The key's location or, when the file leaves it out (a missing `url`), the block's that lacks it.
    private func nearestLocation(_ keyPath: String) -> SourceLocation {
        var path = Substring(keyPath)
        while !path.isEmpty {
            if let found = location(String(path)) { return found }
            guard let dot = path.lastIndex(of: ".") else { break }
            path = path[..<dot]
        }
        return fallback
    }
}
