import AuroraCore
import AuroraExecutors
import AuroraRemediation
import Foundation
import Testing

@Suite("Redaction and hashing")
struct RedactionAndHashTests {
    static let secret = "hunter2-Sup3r/Secret+Value?&="

    @Test func sha256KnownAnswers() {
        #expect(SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex([UInt8](repeating: 0x61, count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func redactsRawBase64AndPercentEncodedForms() {
        let redactor = Redactor(secrets: [Self.secret])
        let forms = [
            Self.secret,
            Data(Self.secret.utf8).base64EncodedString(),
            Data(("user:" + Self.secret).utf8).base64EncodedString(),
            Data(("ab:" + Self.secret).utf8).base64EncodedString(),
            Data(("a:" + Self.secret).utf8).base64EncodedString(),
            Data(Self.secret.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_"),
            Self.secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "",
            Escaping.percentEncode(Self.secret, uppercaseHex: false),
            Escaping.jsonEscape(Self.secret),
        ]
        for form in forms {
            let text = "before \(form) after"
            let redacted = redactor.redact(text)
            #expect(!redacted.contains(form), "form \(form) survived")
            #expect(redacted.hasPrefix("before ") && redacted.contains("***"))
            #expect(!redactor.containsSecret(Array(redacted.utf8)))
        }
        #expect(redactor.redact("nothing secret here") == "nothing secret here")
    }

    @Test func renderedDescriptionHidesSecretsButHashBindsTheirNames() throws {
        let definition = ActionDefinition(name: "deploy", type: "full-deploy", executor: .http(HTTPSpec(
            method: "POST", url: "https://deploy.example/{service}",
            headers: [HeaderTemplate(name: "Authorization", value: "Bearer ${DEPLOY_TOKEN}")])),
            rollback: RollbackSpec(executor: .shell(ShellSpec(script: "undo", environment: [EnvironmentEntry(name: "DB_PASSWORD", value: "${DB_PASS}")]))))
        let context = TemplateContext(service: "checkout")
        let rendered = try ActionRenderer.render(definition, context: context, secrets: ["DEPLOY_TOKEN": Self.secret, "DB_PASS": "pw-\(Self.secret)"])
        #expect(!rendered.redactedDescription.contains(Self.secret))
        #expect(rendered.redactedDescription.contains("Authorization: Bearer ***"))
        #expect(rendered.redactedDescription.contains("DB_PASSWORD='***'") || rendered.redactedDescription.contains("DB_PASSWORD=***"))
        #expect(!String(decoding: rendered.canonicalEncoding, as: UTF8.self).contains(Self.secret))
        // Rotating the token keeps approvals valid; renaming the reference does not.
        let rotated = try ActionRenderer.render(definition, context: context, secrets: ["DEPLOY_TOKEN": "other", "DB_PASS": "x"])
        #expect(rotated.hash == rendered.hash)
        #expect(rendered.hash.count == 64)
        #expect(throws: RemediationError.missingSecret("DEPLOY_TOKEN")) { try ActionRenderer.render(definition, context: context, secrets: [:]) }
    }

    @Test func secretsNeverReachArgvAndAreRedactedFromOutput() async throws {
        let directory = try TemporaryDirectory()
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

    /// The canonical encoding is what stored approvals are bound to: changing it invalidates every
    /// pending approval, so it must only change on purpose (bump "aurora-rendered-action-v1").
    @Test func hashIsStableAcrossReleases() throws {
        let definition = ActionDefinition(
            name: "restart", type: "rolling-restart", executor: .exec(ExecSpec(command: ["kubectl", "rollout", "restart", "deployment/{service}"])),
            timeout: 120, healthCheck: HealthCheckSpec(probe: .http(method: "GET", url: "https://{service}.example/health", headers: [],
                                                                  expectedStatuses: [200], bodyContains: "ok")),
            rollback: RollbackSpec(executor: .exec(ExecSpec(command: ["kubectl", "rollout", "undo", "deployment/{service}"]))))
        let rendered = try ActionRenderer.render(definition, context: TemplateContext(service: "checkout", incident: "INC-7", parameters: ["why": "latency"]))
        #expect(rendered.hash == "3eb8c1d71f80bbcc0848e69a63cca6db83a552477f111f55929926542529607f")
        var changed = definition
        changed.healthCheck?.retries = 9
        #expect(try ActionRenderer.render(changed, context: TemplateContext(service: "checkout", incident: "INC-7", parameters: ["why": "latency"])).hash != rendered.hash)
    }

    @Test func secretEnvironmentEntriesAreHashedNotStored() throws {
        let make = { (value: String) in
            ActionDefinition(name: "a", type: "clear-cache", executor: .exec(ExecSpec(
                command: ["true"], environment: [EnvironmentEntry(name: "KEY", value: value, secret: true)])))
        }
        let first = try ActionRenderer.render(make("literal-secret-1"), context: TemplateContext(service: "s"))
        let second = try ActionRenderer.render(make("literal-secret-2"), context: TemplateContext(service: "s"))
        #expect(first.hash != second.hash)
        #expect(!String(decoding: first.canonicalEncoding, as: UTF8.self).contains("literal-secret-1"))
        #expect(!first.redactedDescription.contains("literal-secret-1"))
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

    @Test func dryRunLinesShowExactlyWhatWouldRun() throws {
        let definition = ActionDefinition(name: "restart", type: "rolling-restart", executor: .exec(ExecSpec(
            command: ["kubectl", "rollout", "restart", "deployment/{service}", "--reason={param.why}"])))
        let rendered = try ActionRenderer.render(definition, context: TemplateContext(service: "checkout", parameters: ["why": "it's slow"]))
        #expect(rendered.redactedLines.contains("run: argv kubectl rollout restart deployment/checkout '--reason=it'\\''s slow'"))
    }
}

/// Counts process starts.
final class StartCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func add() { lock.withLock { value += 1 } }
    var count: Int { lock.withLock { value } }
}
