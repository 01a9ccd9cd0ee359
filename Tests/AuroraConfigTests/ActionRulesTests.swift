import AuroraConfig
import AuroraCore
import Testing

/// An action's blocks that could do nothing are configuration errors at the block, `file:line:column`;
/// keys an `http` block accepts but does not use load with a warning at the key.
@Suite struct ActionRulesTests {
    /// The issues loading `actions` (indented under `remediation.actions:`, starting on line 4) raises.
    static func errors(_ actions: String) -> [ConfigIssue] {
        do {
            _ = try ConfigLoader.load(yaml: document(actions), file: "a.yaml")
            return []
        } catch let error as ConfigError {
            return error.issues
        } catch {
            Issue.record("unexpected \(error)")
            return []
        }
    }

    static func document(_ actions: String) -> String {
        "aurora:\n  remediation:\n    actions:\n" + actions.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : "      " + $0 }.joined(separator: "\n")
    }

    /// An issue as printed: `a.yaml:LINE:COLUMN: message`.
    static func issue(_ line: Int, _ column: Int, _ message: String) -> String {
        "\(SourceLocation(file: "a.yaml", line: line, column: column)): \(message)"
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let actions: String
        let expected: String
        var testDescription: String { name }
    }

    static let deadBlocks: [Case] = [
        Case(name: "a health check without a probe", actions: """
            restart:
              type: service-restart
              command: [restart]
              health-check:
                retries: 2
            """, expected: issue(7, 9, "aurora.remediation.actions.restart.health-check: give command or http (a health check without a probe checks nothing)")),
        Case(name: "an empty health check", actions: """
            restart:
              type: service-restart
              command: [restart]
              health-check:
            """, expected: issue(7, 9, "aurora.remediation.actions.restart.health-check: give command or http (a health check without a probe checks nothing)")),
        Case(name: "an executor's http without a url", actions: """
            restart:
              type: service-restart
              http:
                method: POST
            """, expected: issue(6, 9, "aurora.remediation.actions.restart.http: missing url")),
        Case(name: "a probe's http without a url", actions: """
            restart:
              type: service-restart
              command: [restart]
              health-check: { http: { method: HEAD }, retries: 1 }
            """, expected: issue(7, 25, "aurora.remediation.actions.restart.health-check.http: missing url")),
        Case(name: "a rollback's http with an empty url", actions: """
            restart:
              type: service-restart
              command: [restart]
              rollback:
                http:
                  url: ""
            """, expected: issue(9, 13, "aurora.remediation.actions.restart.rollback.http: missing url")),
        Case(name: "a rollback without an executor", actions: """
            restart:
              type: service-restart
              command: [restart]
              rollback:
                timeout: 1m
            """, expected: issue(7, 9, "aurora.remediation.actions.restart.rollback: give one of command, shell or http (it has nothing to run)")),
        Case(name: "an action without an executor", actions: """
            restart:
              type: service-restart
              timeout: 1m
            """, expected: issue(4, 7, "aurora.remediation.actions.restart: give one of command, shell or http (it has nothing to run)")),
        Case(name: "an action with two executors", actions: """
            restart:
              type: service-restart
              command: [restart]
              shell: systemctl restart x
            """, expected: issue(7, 9, "aurora.remediation.actions.restart: give only one of command, shell or http (found command and shell)")),
        Case(name: "an empty argv", actions: """
            restart:
              type: service-restart
              command: []
            """, expected: issue(6, 9, "aurora.remediation.actions.restart.command: the argv is empty")),
        Case(name: "an action without a type", actions: """
            restart:
              command: [restart]
            """, expected: issue(4, 7, "aurora.remediation.actions.restart.type: every action needs a type (e.g. service-restart)")),
    ]

    @Test(arguments: deadBlocks)
    func aBlockThatCouldDoNothingIsAnErrorAtTheBlock(_ example: Case) {
        #expect(Self.errors(example.actions).map(\.description) == [example.expected])
    }

    @Test func everyActionIsCheckedAndTheProblemsComeInFileOrder() {
        let issues = Self.errors("""
            first:
              type: service-restart
              http: { method: POST }
            second:
              type: scale-up
              command: [scale]
              health-check: { interval: 2s }
            """)
        #expect(issues.map(\.location.line) == [6, 10])
        #expect(issues.map(\.message) == ["aurora.remediation.actions.first.http: missing url",
                                          "aurora.remediation.actions.second.health-check: give command or http (a health check without a probe checks nothing)"])
    }

    @Test func aMissingURLIsNotReportedAsAMissingExecutor() {
        let issues = Self.errors("""
            restart:
              type: service-restart
              http: { headers: { X-Token: "${TOKEN}" } }
            """)
        #expect(issues.count == 1)
        #expect(issues.first?.message.contains("give one of") == false)
    }

    @Test func keysAnHTTPBlockIgnoresLoadWithAWarningAtTheKey() throws {
        let configuration = try ConfigLoader.load(yaml: Self.document("""
            restart:
              type: service-restart
              http:
                url: "https://deploy.example/restart/{service}"
                body-contains: ok
              health-check:
                http: { url: "https://{service}.example/health", retries: 3, body: { a: b } }
              rollback:
                http: { url: "https://deploy.example/undo", body-contains: done }
            probed:
              type: scale-up
              command: [scale]
              health-check:
                command: [probe]
                http: { url: "https://x.example/health" }
            """), file: "a.yaml")
        #expect(configuration.warnings.map(\.description) == [
            Self.issue(8, 11, "aurora.remediation.actions.restart.http.body-contains: ignored here: an executor's request succeeds on its status "
                       + "(expected-status); body-contains is a health check's"),
            Self.issue(10, 60, "aurora.remediation.actions.restart.health-check.http.retries: ignored here: the probe is tried once per try "
                       + "of the check (health-check.retries sets the tries)"),
            Self.issue(10, 72, "aurora.remediation.actions.restart.health-check.http.body: ignored here: a probe sends no body"),
            Self.issue(12, 55, "aurora.remediation.actions.restart.rollback.http.body-contains: ignored here: an executor's request succeeds "
                       + "on its status (expected-status); body-contains is a health check's"),
            Self.issue(18, 11, "aurora.remediation.actions.probed.health-check.http: ignored here: the command is the probe (give one of command or http)"),
        ])
        // Still loaded as before: the values stay where the file put them.
        #expect(configuration.value("remediation.actions.restart.health-check.http.retries")?.int == 3)
        #expect(configuration.value("remediation.actions.restart.http.body-contains")?.string == "ok")
    }

    @Test func aValidConfigurationLoadsWithoutWarnings() throws {
        let configuration = try ConfigLoader.load(yaml: EntryBlockDefaultsTests.yaml, file: "a.yaml")
        #expect(configuration.warnings.isEmpty)
        #expect(ConfigLoader.defaults().warnings.isEmpty)
        // A probe's expected-status and an executor's retries are theirs: no warning.
        let used = try ConfigLoader.load(yaml: Self.document("""
            restart:
              type: service-restart
              http: { url: "https://d.example/r", retries: 4, body: { service: "{service}" }, expected-status: [200] }
              health-check:
                http: { url: "https://h.example/", body-contains: healthy, expected-status: [200, 204] }
                retries: 1
            """), file: "a.yaml")
        #expect(used.warnings.isEmpty)
    }
}
