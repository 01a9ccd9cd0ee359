import Foundation

/// A spy executor for remediation tests: a shell script that appends its pid, every argv element and
/// the `AURORA_*` / `TOKEN` environment to a log opened with `O_APPEND` (`>>`), one record per
/// invocation ended by an ASCII record separator (0x1E), so a count of separators is a count of runs.
/// It sleeps `AURORA_PARAM_SLEEP` seconds and exits `AURORA_PARAM_EXIT` when those are set.
package struct RemediationSpy: Sendable {
    /// The folder holding the script, its log and the configuration.
    package let directory: String
    /// The script.
    package var script: String { directory + "/spy.sh" }
    /// The log.
    package var log: String { directory + "/spy.log" }
    /// A configuration file using the spy (see `configuration(extra:)`).
    package var configuration: String { directory + "/aurora.yaml" }

    /// Writes the script into `directory`.
    package init(directory: String) throws {
        self.directory = directory
        let text = """
            #!/bin/sh
            {
              printf 'pid=%s\\n' "$$"
              for a in "$@"; do printf 'arg=[%s]\\n' "$a"; done
              printf 'service=[%s]\\nmsg=[%s]\\ntoken=[%s]\\n' "$AURORA_SERVICE" "$AURORA_PARAM_MSG" "$TOKEN"
              printf '\\036\\n'
            } >> '\(directory)/spy.log'
            if [ "${AURORA_PARAM_SLEEP:-0}" != 0 ]; then sleep "$AURORA_PARAM_SLEEP"; fi
            exit "${AURORA_PARAM_EXIT:-0}"

            """
        try Data(text.utf8).write(to: URL(fileURLWithPath: script))
        chmod(script, 0o755)
    }

    /// How many times the spy ran.
    package var invocations: Int {
        guard let data = FileManager.default.contents(atPath: log) else { return 0 }
        return data.filter { $0 == 0x1E }.count
    }

    /// The log's text.
    package var text: String {
        FileManager.default.contents(atPath: log).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    /// The standard test configuration: `restart` (medium: executes at once), `failover` (high:
    /// queued), `wipe` (critical: escalated), `reload` (a shell executor), `failing` (exits 1, with a
    /// rollback), all on the spy, with no cooldown unless `safety` overrides it; `extra` is appended
    /// under `aurora:` (indent by two spaces) and `actions` under `remediation.actions:` (indent by six).
    package func writeConfiguration(safety: String = "cooldown-between-same-service: 0s", actions: String = "", extra: String = "") throws {
        let spy = script
        let text = """
            aurora:
              safety:
                \(safety)
              remediation:
                kill-grace: 1s
                actions:
            \(actions)
                  restart:
                    type: service-restart
                    command: ['\(spy)', '{service}', '{param.msg}']
                    params: {msg: none, sleep: '0', exit: '0'}
                    secret-environment: {TOKEN: '${SECRET_TOKEN}'}
                  failover:
                    type: database-failover
                    command: ['\(spy)', failover, '{service}']
                    params: {msg: none, sleep: '0', exit: '0'}
                  wipe:
                    type: data-deletion
                    command: ['\(spy)', wipe, '{service}']
                  reload:
                    type: config-reload
                    shell: '"\(spy)" shell "$AURORA_SERVICE" "$AURORA_PARAM_MSG"'
                    params: {msg: none}
                  failing:
                    type: service-restart
                    command: ['\(spy)', failing, '{service}']
                    params: {exit: '3'}
                    rollback:
                      shell: 'AURORA_PARAM_EXIT=0 "\(spy)" rollback "$AURORA_SERVICE"'
                  unhealthy:
                    type: clear-cache
                    command: ['\(spy)', unhealthy, '{service}']
                    health-check:
                      command: [/bin/false]
                      retries: 1
                      interval: 0s
                    rollback:
                      command: ['\(spy)', rollback, '{service}']
            \(extra)
            """
        try Data(text.utf8).write(to: URL(fileURLWithPath: configuration))
    }
}
