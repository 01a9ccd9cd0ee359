import AuroraConfig
import AuroraCore
import AuroraOperations
import AuroraRemediation
import Testing

/// A configuration built by hand (not loaded from a file, so not checked by the loader) maps a block that
/// could do nothing to a configuration error naming it, never to an action that silently lacks it.
@Suite struct DeadActionBlockMappingTests {
    static func settings(_ action: [(String, ConfigValue)]) throws -> RemediationSettings {
        let restart = ConfigValue.object([("type", .string("service-restart"))] + action)
        return try RemediationSettings.load(Configuration(
            root: .object([("remediation", .object([("actions", .object([("restart", restart)]))]))]), source: nil))
    }

    static let restart: (String, ConfigValue) = ("command", .list([.string("restart")]))

    @Test(arguments: [
        ([restart, ("health-check", .object([("retries", .integer(2))]))],
         "aurora.remediation.actions.restart.health-check: give command or http (a health check without a probe checks nothing)"),
        ([("http", .object([("method", .string("POST"))]))], "aurora.remediation.actions.restart.http: missing url"),
        ([restart, ("health-check", .object([("http", .object([("method", .string("GET"))]))]))],
         "aurora.remediation.actions.restart.health-check.http: missing url"),
        ([restart, ("rollback", .object([("timeout", .duration(60))]))], "aurora.remediation.actions.restart.rollback: give one of command, shell or http"),
        ([restart, ("rollback", .object([("http", .object([("url", .string(""))]))]))], "aurora.remediation.actions.restart.rollback.http: missing url"),
    ] as [([(String, ConfigValue)], String)])
    func aBlockThatCouldDoNothingIsAnError(_ action: [(String, ConfigValue)], _ message: String) {
        let error = #expect(throws: SimpleFailure.self) { try Self.settings(action) }
        #expect(error?.kind == .configuration)
        #expect(error?.description == message)
    }

    @Test func aHealthCheckWithBothProbesRunsItsCommandAsBefore() throws {
        let check = ConfigValue.object([("command", .list([.string("probe")])), ("http", .object([("url", .string("https://h.example/"))]))])
        let action = try #require(try Self.settings([Self.restart, ("health-check", check)]).actions["restart"])
        #expect(action.healthCheck?.probe == .exec(command: ["probe"]))
    }
}
