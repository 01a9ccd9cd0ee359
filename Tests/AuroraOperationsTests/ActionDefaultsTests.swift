import AuroraConfig
import AuroraCore
import AuroraOperations
import AuroraRemediation
import Testing

/// An action's health check, HTTP request and rollback take every value the file leaves out from the
/// configuration schema, so what `aurora config show` prints is what runs.
@Suite struct ActionDefaultsTests {
    static let yaml = """
        aurora:
          remediation:
            actions:
              checked:
                type: service-restart
                http: { url: "https://deploy.example/restart/{service}" }
                health-check:
                  http: { url: "https://{service}.example/health" }
                rollback:
                  command: [undo, "{service}"]
              tuned:
                type: scale-up
                command: [scale, "{service}"]
                health-check:
                  command: [probe, "{service}"]
                  retries: 7
                  interval: 2s
                rollback: { http: { url: "https://deploy.example/undo", method: PUT, retries: 0, expected-status: [] }, timeout: 1m }
        """

    static func actions() throws -> [String: ActionDefinition] {
        try RemediationSettings.load(ConfigLoader.load(yaml: yaml, file: "a.yaml")).actions
    }

    static let usualStatuses: Set<Int> = [200, 201, 202, 204]

    @Test func aHealthCheckWithoutRetriesUsesTheSchemasThree() throws {
        let checked = try #require(try Self.actions()["checked"])
        #expect(checked.healthCheck == HealthCheckSpec(
            probe: .http(method: "GET", url: "https://{service}.example/health", headers: [], expectedStatuses: Self.usualStatuses, bodyContains: nil),
            retries: 3, interval: 5, timeout: 10))
        #expect(checked.executor == .http(HTTPSpec(method: "POST", url: "https://deploy.example/restart/{service}",
                                                   expectedStatuses: Self.usualStatuses, retry: RetryPolicy(maxAttempts: 3))))
        #expect(checked.rollback?.timeout == 300)
    }

    @Test func explicitValuesWin() throws {
        let tuned = try #require(try Self.actions()["tuned"])
        #expect(tuned.healthCheck == HealthCheckSpec(probe: .exec(command: ["probe", "{service}"]), retries: 7, interval: 2, timeout: 10))
        // An empty expected-status list means the default, as it always has.
        #expect(tuned.rollback == RollbackSpec(executor: .http(HTTPSpec(method: "PUT", url: "https://deploy.example/undo",
                                                                        expectedStatuses: Self.usualStatuses, retry: RetryPolicy(maxAttempts: 1))),
                                               timeout: 60))
    }

    @Test func aConfigurationBuiltByHandReadsTheSameDefaults() throws {
        let check = ConfigValue.object([("command", .list([.string("probe")]))])
        let action = ConfigValue.object([("type", .string("service-restart")), ("command", .list([.string("restart")])),
                                         ("health-check", check), ("rollback", .object([("command", .list([.string("undo")]))]))])
        let bare = Configuration(root: .object([("remediation", .object([("actions", .object([("restart", action)]))]))]), source: nil)
        let restart = try #require(try RemediationSettings.load(bare).actions["restart"])
        #expect(restart.healthCheck == HealthCheckSpec(probe: .exec(command: ["probe"]), retries: 3, interval: 5, timeout: 10))
        #expect(restart.rollback?.timeout == 300)
        #expect(restart.timeout == 300)
    }

    @Test func aValueOfTheWrongTypeInABlockIsAnErrorNamingTheKey() {
        let check = ConfigValue.object([("command", .list([.string("probe")])), ("retries", .string("a few"))])
        let action = ConfigValue.object([("type", .string("service-restart")), ("command", .list([.string("restart")])), ("health-check", check)])
        let bare = Configuration(root: .object([("remediation", .object([("actions", .object([("restart", action)]))]))]), source: nil)
        let error = #expect(throws: SimpleFailure.self) { try RemediationSettings.load(bare) }
        #expect(error?.kind == .configuration)
        #expect(error?.description.contains("aurora.remediation.actions.restart.health-check.retries: expected an integer") == true)
    }

    @Test func theEnginesOwnDefaultsAgreeWithTheSchema() throws {
        // Specs built in code (tests, benchmarks) use the engine's initialiser defaults: they must be the
        // schema's, or the same action would behave differently from code and from a file.
        let check = HealthCheckSpec(probe: .exec(command: ["probe"]))
        #expect(check.retries == ConfigSchema.defaultValue(at: "remediation.actions.*.health-check.retries")?.int)
        #expect(check.interval == ConfigSchema.defaultValue(at: "remediation.actions.*.health-check.interval")?.seconds)
        #expect(check.timeout == ConfigSchema.defaultValue(at: "remediation.actions.*.health-check.timeout")?.seconds)
        let undo = RollbackSpec(executor: .exec(ExecSpec(command: ["undo"])))
        #expect(undo.timeout == ConfigSchema.defaultValue(at: "remediation.actions.*.rollback.timeout")?.seconds)
        let action = ActionDefinition(name: "a", type: ActionType("service-restart"), executor: undo.executor)
        #expect(action.timeout == ConfigSchema.defaultValue(at: "remediation.actions.*.timeout")?.seconds)
        let retries = try #require(ConfigSchema.defaultValue(at: "remediation.actions.*.http.retries")?.int)
        #expect(RetryPolicy().maxAttempts == 1 + retries)
        let statuses = try #require(ConfigSchema.defaultValue(at: "remediation.actions.*.http.expected-status")?.list)
        #expect(HTTPSpec(method: "POST", url: "u").expectedStatuses == Set(statuses.compactMap(\.int)))
    }
}
