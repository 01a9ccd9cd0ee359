import AuroraCore
import AuroraExecutors
import AuroraRemediation
import AuroraTestSupport
import Foundation
import Testing

@Suite("Secrets at execution")
struct ExecutionSecretTests {
    static let secret = "hunter2-Sup3r/Secret+Value?&="

    @Test func secretsNeverReachArgvAndAreRedactedFromOutput() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let argvFile = directory.path + "/argv"
        // The child prints the secret (raw and base64) on both streams; aurora's report must not contain it.
        let script = "printf '%s\\n' \"$@\" > \"$ARGV_FILE\"; echo \"token=$API_TOKEN\"; printf %s \"$API_TOKEN\" | base64 >&2; exit 1"
        let definition = ActionDefinition(name: "leaky", type: "clear-cache", executor: .exec(ExecSpec(
            command: ["/bin/sh", "-c", script, "leaky", "{service}"],
            environment: [EnvironmentEntry(name: "API_TOKEN", value: "${TOKEN}"), EnvironmentEntry(name: "ARGV_FILE", value: argvFile)])), timeout: 10)
        let rendered = try ActionRenderer.render(definition, context: TemplateContext(service: "checkout"), secrets: ["TOKEN": Self.secret])
        let report = await ActionExecutor(baseEnvironment: ["PATH": "/usr/bin:/bin"]).execute(rendered, idempotencyKey: "k")
        #expect(report.outcome.state == .failed)
        #expect(report.action.output.contains("token=***"))
        let everything = [report.action.output, report.action.errorOutput, report.action.reason ?? "", report.outcome.description,
                          rendered.redactedDescription].joined(separator: "\n")
        #expect(!rendered.redactor.containsSecret(Array(everything.utf8)))
        #expect(!(try String(contentsOfFile: argvFile, encoding: .utf8)).contains(Self.secret))
    }
}

@Suite("Action executor")
struct ActionExecutorTests {
    let environment = ["PATH": "/usr/bin:/bin"]

    @Test func timeoutIsAFailureNamedTimeout() async throws {
        let definition = ActionDefinition(name: "hang", type: "clear-cache", executor: .shell(ShellSpec(script: "trap '' TERM; sleep 1000 & sleep 1000")), timeout: 0.3)
        let rendered = try ActionRenderer.render(definition, context: TemplateContext(service: "s"))
        let report = await ActionExecutor(baseEnvironment: environment, killGrace: 0.3).execute(rendered, idempotencyKey: "k")
        #expect(report.outcome.state == .failed)
        #expect(report.outcome.reason.hasPrefix("timeout after"))
        #expect(report.action.timedOut)
    }

    @Test func execHealthCheckAndRollback() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let flag = directory.path + "/rolled-back"
        let definition = ActionDefinition(
            name: "restart", type: "service-restart", executor: .exec(ExecSpec(command: ["true"])), timeout: 10,
            healthCheck: HealthCheckSpec(probe: .exec(command: ["false"]), retries: 2, interval: 1, timeout: 5),
            rollback: RollbackSpec(executor: .exec(ExecSpec(command: ["touch", flag])), timeout: 5))
        let rendered = try ActionRenderer.render(definition, context: TemplateContext(service: "s"))
        let sleeper = RecordingSleeper()
        let starts = StartCounter()
        let report = await ActionExecutor(sleeper: sleeper, baseEnvironment: environment).execute(rendered, idempotencyKey: "k", onProcessStart: { _ in starts.add() })
        #expect(report.outcome == .rolledBack(reason: "health check failed after 3 tries: exit 1"))
        #expect(sleeper.sleeps == [1, 1])
        #expect(FileManager.default.fileExists(atPath: flag))
        #expect(starts.count == 5)
    }

    @Test func passingHealthCheckSucceeds() async throws {
        let definition = ActionDefinition(name: "restart", type: "service-restart", executor: .exec(ExecSpec(command: ["true"])),
                                          healthCheck: HealthCheckSpec(probe: .exec(command: ["true"])))
        let rendered = try ActionRenderer.render(definition, context: TemplateContext(service: "s"))
        let report = await ActionExecutor(sleeper: RecordingSleeper(), baseEnvironment: environment).execute(rendered, idempotencyKey: "k")
        #expect(report.outcome == .succeeded)
        #expect(report.health?.passed == true)
    }

    @Test func criticalActionsAreNeverRun() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let marker = directory.path + "/ran"
        let definition = ActionDefinition(name: "wipe", type: "data-deletion", executor: .exec(ExecSpec(command: ["touch", marker])))
        #expect(definition.tier == .critical)
        let rendered = try ActionRenderer.render(definition, context: TemplateContext(service: "s"))
        let report = await ActionExecutor(baseEnvironment: environment).execute(rendered, idempotencyKey: "k")
        #expect(report.outcome.state == .refused)
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    @Test func gateJustBeforeSpawnRefusesWithoutStarting() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let marker = directory.path + "/ran"
        let definition = ActionDefinition(name: "touch", type: "clear-cache", executor: .exec(ExecSpec(command: ["touch", marker])))
        let rendered = try ActionRenderer.render(definition, context: TemplateContext(service: "s"))
        let starts = StartCounter()
        let report = await ActionExecutor(baseEnvironment: environment).execute(
            rendered, idempotencyKey: "k", gate: { "kill switch service:s is on" }, onProcessStart: { _ in starts.add() })
        #expect(report.outcome == .notStarted(reason: "kill switch service:s is on"))
        #expect(report.outcome.state == .refused)
        #expect(starts.count == 0)
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    @Test func missingProgramIsAFailureNotACrash() async throws {
        let definition = ActionDefinition(name: "x", type: "clear-cache", executor: .exec(ExecSpec(command: ["aurora-no-such-program-xyz"])))
        let rendered = try ActionRenderer.render(definition, context: TemplateContext(service: "s"))
        let report = await ActionExecutor(baseEnvironment: environment).execute(rendered, idempotencyKey: "k")
        #expect(report.outcome.reason.contains("cannot start aurora-no-such-program-xyz"))
    }
}

/// Counts process starts.
final class StartCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func add() { lock.withLock { value += 1 } }
    var count: Int { lock.withLock { value } }
}
