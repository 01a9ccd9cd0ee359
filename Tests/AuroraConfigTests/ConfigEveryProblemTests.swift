import AuroraConfig
import AuroraCore
import AuroraTestSupport
import Testing

/// One load reports every problem it can find, as a linter does: errors of single keys and of blocks
/// together, the warnings beside them, each located with a stable kind and its key, and no problem
/// reported twice (a block is not said to lack a key the operator wrote but got wrong).
@Suite struct ConfigEveryProblemTests {
    /// A wrong type, an action's health check without a probe (a rule between keys, which used to be
    /// checked only once every key was valid) and a key ignored where it is written.
    static let twoErrorsAndAWarning = ConfigProblemFixtures.twoErrorsAndAWarning

    static func loadError(_ yaml: String) throws -> ConfigError {
        try #require(throws: ConfigError.self) { try ConfigLoader.load(yaml: yaml, file: "two.yaml") }
    }

    @Test func twoErrorsAndAWarningAreAllReportedLocated() throws {
        let error = try Self.loadError(Self.twoErrorsAndAWarning)
        #expect(error.issues == [
            ConfigIssue(location: SourceLocation(file: "two.yaml", line: 3, column: 36), kind: .wrongType,
                        key: "aurora.safety.cooldown-between-same-service",
                        message: "aurora.safety.cooldown-between-same-service: `soon` is not a duration (expected e.g. 300s, 5m, 1h30m)"),
            ConfigIssue(location: SourceLocation(file: "two.yaml", line: 14, column: 9), kind: .missingKey,
                        key: "aurora.remediation.actions.drain.health-check",
                        message: "aurora.remediation.actions.drain.health-check: give command or http (a health check without a probe checks nothing)"),
        ])
        #expect(error.warnings == [
            ConfigIssue(location: SourceLocation(file: "two.yaml", line: 10, column: 60), kind: .ignoredKey,
                        key: "aurora.remediation.actions.restart.health-check.http.retries",
                        message: "aurora.remediation.actions.restart.health-check.http.retries: ignored here: the probe is tried "
                            + "once per try of the check (health-check.retries sets the tries)"),
        ])
        // Every command that reads the file prints the errors; the warnings are config check's to show.
        #expect(error.description.split(separator: "\n").count == 2)
    }

    @Test func theWarningsOfAValidFileStayOnTheConfiguration() throws {
        let valid = Self.twoErrorsAndAWarning.replacingOccurrences(of: "soon", with: "5m")
            .replacingOccurrences(of: "    retries: 2\n", with: "    command: [check]\n")
        let configuration = try ConfigLoader.load(yaml: valid, file: "two.yaml")
        #expect(configuration.warnings.map(\.kind) == [.ignoredKey])
        #expect(configuration.warnings.map(\.location.line) == [10])
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let action: String
        /// Each issue as `line kind key`.
        let expected: [String]
        var testDescription: String { name }
    }

    /// A block whose key the file gets wrong is not also said to lack it.
    static let noSecondReport: [Case] = [
        Case(name: "a misspelt command", action: "type: t\ncomand: [run]",
             expected: ["6 unknown-key aurora.remediation.actions.a.comand"]),
        Case(name: "a command that is not a list", action: "type: t\ncommand: run",
             expected: ["6 wrong-type aurora.remediation.actions.a.command"]),
        Case(name: "a url that is not a string", action: "type: t\nhttp: { url: [a] }",
             expected: ["6 wrong-type aurora.remediation.actions.a.http.url"]),
        Case(name: "a type that is not a string", action: "type: [t]\nshell: run",
             expected: ["5 wrong-type aurora.remediation.actions.a.type"]),
        Case(name: "a misspelt probe beside a missing executor", action: "type: t\nhealth-check: { comand: [c] }",
             expected: ["4 missing-key aurora.remediation.actions.a", "6 unknown-key aurora.remediation.actions.a.health-check.comand"]),
    ]

    @Test(arguments: noSecondReport) func aProblemIsReportedOnce(_ example: Case) throws {
        let actions = example.action.split(separator: "\n").map { "      " + $0 }.joined(separator: "\n")
        let error = try Self.loadError("aurora:\n  remediation:\n    actions:\n     a:\n" + actions + "\n")
        #expect(error.issues.map { "\($0.location.line) \($0.kind.rawValue) \($0.key ?? "-")" } == example.expected)
    }

    /// Each kind of problem, named for scripts.
    @Test(arguments: [
        ("aurora:\n  safety: [1, 2\n", ConfigIssueKind.invalidYAML, nil),
        ("aurora:\n  database: a\n  database: b\n", .duplicateKey, nil),
        ("safety: {}\n", .rootKey, nil),
        ("aurora:\n  safty: {}\n", .unknownKey, "aurora.safty"),
        ("aurora:\n  safety:\n    max-consecutive-failures: 0\n", .outOfRange, "aurora.safety.max-consecutive-failures"),
        ("aurora:\n  governance:\n    rules: [{name: r, effect: maybe}]\n", .invalidValue, "aurora.governance.rules[0].effect"),
        ("aurora:\n  watch:\n    retention: 30m\n", .conflict, "aurora.watch.retention"),
        ("aurora:\n  diagnosis:\n    history-window: 8d\n", .conflict, "aurora.diagnosis.history-window"),
        ("aurora:\n  remediation:\n    actions:\n      a: { type: t, shell: s, command: [c] }\n", .conflict,
         "aurora.remediation.actions.a.shell"),
    ] as [(String, ConfigIssueKind, String?)])
    func eachKindIsNamed(_ yaml: String, _ kind: ConfigIssueKind, _ key: String?) throws {
        let issue = try #require(try Self.loadError(yaml).issues.first)
        #expect(issue.kind == kind)
        #expect(issue.key == key)
    }
}
