import AuroraCore
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

    @Test func dryRunLinesShowExactlyWhatWouldRun() throws {
        let definition = ActionDefinition(name: "restart", type: "rolling-restart", executor: .exec(ExecSpec(
            command: ["kubectl", "rollout", "restart", "deployment/{service}", "--reason={param.why}"])))
        let rendered = try ActionRenderer.render(definition, context: TemplateContext(service: "checkout", parameters: ["why": "it's slow"]))
        #expect(rendered.redactedLines.contains("run: argv kubectl rollout restart deployment/checkout '--reason=it'\\''s slow'"))
    }
}
