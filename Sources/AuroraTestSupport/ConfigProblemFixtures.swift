/// Configuration files with known problems, shared by the loader's tests and `config check`'s.
package enum ConfigProblemFixtures {
    /// A wrong duration (line 3), a key ignored where it is written (a warning, line 10) and an action's
    /// health check without a probe (line 14): two errors of different kinds and a warning, in one file.
    package static let twoErrorsAndAWarning = """
        aurora:
          safety:
            cooldown-between-same-service: soon
          remediation:
            actions:
              restart:
                type: service-restart
                command: [systemctl, restart, "{service}"]
                health-check:
                  http: { url: "https://{service}.example/health", retries: 2 }
              drain:
                type: drain
                shell: drain
                health-check:
                  retries: 2

        """
}
