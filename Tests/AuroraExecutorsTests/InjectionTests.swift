import AuroraCore
import AuroraExecutors
import AuroraRemediation
import AuroraTestSupport
import Foundation
import Testing

/// Hostile values reach executors as inert data: the spy records argv and environment byte for byte.
@Suite("Injection")
struct InjectionTests {
    static let hostileValues: [String] = [
        "; touch MARKER", "$(touch MARKER)", "`touch MARKER`", "\"double\" 'single' \\back", "line1\nline2; touch MARKER",
        "../../etc/passwd", "-rf", "--help", "*", "$HOME ${PATH} $((1+1))", "| touch MARKER &", String(repeating: "x", count: 100_000),
        "ünïcødé ✓", " leading and trailing ",
    ]

    /// A spy that writes its argv and environment, NUL-separated, to `$SPY_OUT`.
    static func writeSpy(in directory: String) throws -> String {
        let path = directory + "/spy.sh"
        let script = "#!/bin/sh\n{ printf 'ARGV\\0'; for a in \"$0\" \"$@\"; do printf '%s\\0' \"$a\"; done; printf 'ENV\\0'; env -0; } > \"$SPY_OUT\"\n"
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return path
    }

    /// Parses the spy's record into argv and environment.
    static func readSpy(_ path: String) throws -> (argv: [String], environment: [String: String]) {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let fields = data.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        guard let argvStart = fields.firstIndex(of: "ARGV"), let envStart = fields.firstIndex(of: "ENV") else { return ([], [:]) }
        let argv = Array(fields[(argvStart + 1)..<envStart])
        var environment: [String: String] = [:]
        for entry in fields[(envStart + 1)...] where !entry.isEmpty {
            guard let equals = entry.firstIndex(of: "=") else { continue }
            environment[String(entry[..<equals])] = String(entry[entry.index(after: equals)...])
        }
        return (argv, environment)
    }

    @Test(arguments: hostileValues)
    func execArgvElementsAreInert(_ template: String) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let marker = directory.path + "/P"
        let value = template.replacingOccurrences(of: "MARKER", with: marker)
        let spy = try Self.writeSpy(in: directory.path)
        let output = directory.path + "/spy.out"
        let action = ActionDefinition(name: "spy", type: "service-restart", executor: .exec(ExecSpec(
            command: [spy, "{service}", "{param.value}", "pre-{param.value}-post", "{{literal}}"],
            environment: [EnvironmentEntry(name: "SPY_OUT", value: output)]
        )), timeout: 20)
        let context = TemplateContext(service: value, incident: "INC-1", parameters: ["value": value])
        let rendered = try ActionRenderer.render(action, context: context)
        let executor = ActionExecutor(baseEnvironment: ["PATH": "/usr/bin:/bin"])
        let report = await executor.execute(rendered, idempotencyKey: "r1")
        #expect(report.outcome == .succeeded)
        let record = try Self.readSpy(output)
        #expect(record.argv == [spy, value, value, "pre-\(value)-post", "{literal}"])
        #expect(record.environment["AURORA_SERVICE"] == value)
        #expect(record.environment["AURORA_PARAM_VALUE"] == value)
        #expect(record.environment["AURORA_INCIDENT"] == "INC-1")
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    @Test(arguments: hostileValues)
    func shellGetsValuesOnlyThroughEnvironment(_ template: String) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let marker = directory.path + "/P"
        let value = template.replacingOccurrences(of: "MARKER", with: marker)
        let spy = try Self.writeSpy(in: directory.path)
        let output = directory.path + "/spy.out"
        // The script text is fixed; `{param.value}` inside it is NOT a placeholder: shell scripts are never templated.
        let script = "\"$SPY\" \"$AURORA_SERVICE\" \"$AURORA_PARAM_VALUE\" '{param.value}'"
        let action = ActionDefinition(name: "spy", type: "service-restart", executor: .shell(ShellSpec(
            script: script, environment: [EnvironmentEntry(name: "SPY_OUT", value: output), EnvironmentEntry(name: "SPY", value: spy)]
        )), timeout: 20)
        let rendered = try ActionRenderer.render(action, context: TemplateContext(service: value, parameters: ["value": value]))
        guard case let .process(process) = rendered.invocation else { Issue.record("not a process"); return }
        #expect(process.argv == ["/bin/sh", "-c", script])
        let report = await ActionExecutor(baseEnvironment: ["PATH": "/usr/bin:/bin"]).execute(rendered, idempotencyKey: "r1")
        #expect(report.outcome == .succeeded)
        let record = try Self.readSpy(output)
        #expect(record.argv == [spy, value, value, "{param.value}"])
        #expect(record.environment["AURORA_PARAM_VALUE"] == value)
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    @Test func nulIsRefusedEverywhere() throws {
        let action = ActionDefinition(name: "a", type: "scale-up", executor: .exec(ExecSpec(command: ["echo", "{param.x}"])))
        #expect(throws: RemediationError.nulByte(field: "parameter x")) {
            try ActionRenderer.render(action, context: TemplateContext(service: "s", parameters: ["x": "a\u{0}b"]))
        }
        #expect(throws: RemediationError.nulByte(field: "service")) {
            try ActionRenderer.render(action, context: TemplateContext(service: "s\u{0}"))
        }
        let http = ActionDefinition(name: "h", type: "scale-up", executor: .http(HTTPSpec(
            method: "POST", url: "http://x/", headers: [HeaderTemplate(name: "Authorization", value: "Bearer ${TOKEN}")])))
        #expect(throws: RemediationError.nulByte(field: "secret ${TOKEN}")) {
            try ActionRenderer.render(http, context: TemplateContext(service: "s"), secrets: ["TOKEN": "a\u{0}"])
        }
    }

    @Test func headerValuesWithLineBreaksAreRefused() throws {
        let http = ActionDefinition(name: "h", type: "scale-up", executor: .http(HTTPSpec(
            method: "POST", url: "http://x/", headers: [HeaderTemplate(name: "X-Service", value: "{service}"),
                                                         HeaderTemplate(name: "Authorization", value: "Bearer ${TOKEN}")])))
        #expect(throws: RemediationError.headerInjection(header: "X-Service")) {
            try ActionRenderer.render(http, context: TemplateContext(service: "a\r\nX-Admin: 1"), secrets: ["TOKEN": "t"])
        }
        #expect(throws: RemediationError.headerInjection(header: "Authorization")) {
            try ActionRenderer.render(http, context: TemplateContext(service: "a"), secrets: ["TOKEN": "t\nX: y"])
        }
    }

    @Test func urlValuesArePercentEncodedAndBodyValuesJSONEscaped() throws {
        let hostile = "../admin?x=1&y=2#frag \"q\""
        let http = ActionDefinition(name: "h", type: "scale-up", executor: .http(HTTPSpec(
            method: "POST", url: "https://api.example/v1/services/{service}/scale?replicas={param.replicas}",
            body: .object([(key: "service", value: .string("{service}")), (key: "replicas", value: .number(3)),
                           (key: "note", value: .string("by aurora for {incident}"))]))))
        let rendered = try ActionRenderer.render(http, context: TemplateContext(service: hostile, incident: "\", \"admin\": true, \"x\": \"",
                                                                                   parameters: ["replicas": "5&admin=1"]))
        guard case let .http(request) = rendered.invocation else { Issue.record("not http"); return }
        #expect(request.url == "https://api.example/v1/services/..%2Fadmin%3Fx%3D1%26y%3D2%23frag%20%22q%22/scale?replicas=5%26admin%3D1")
        let body = try #require(request.body)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        #expect(Set(object.keys) == ["service", "replicas", "note"])
        #expect(object["service"] as? String == hostile)
        #expect(object["note"] as? String == "by aurora for \", \"admin\": true, \"x\": \"")
        #expect(request.headers.contains { $0.name == "Content-Type" && $0.value.resolved == "application/json" })
    }

    @Test func unknownPlaceholdersAndUnbalancedBracesAreErrors() {
        let action = ActionDefinition(name: "a", type: "scale-up", executor: .exec(ExecSpec(command: ["echo", "{param.missing}"])))
        #expect(throws: RemediationError.self) { try ActionRenderer.render(action, context: TemplateContext(service: "s")) }
        let open = ActionDefinition(name: "a", type: "scale-up", executor: .exec(ExecSpec(command: ["echo", "{service"])))
        #expect(throws: RemediationError.self) { try ActionRenderer.render(open, context: TemplateContext(service: "s")) }
    }

    @Test func parameterNamesMustMakeEnvironmentNames() {
        let action = ActionDefinition(name: "a", type: "scale-up", executor: .exec(ExecSpec(command: ["echo"])))
        #expect(throws: RemediationError.invalidParameterName("bad name")) {
            try ActionRenderer.render(action, context: TemplateContext(service: "s", parameters: ["bad name": "v"]))
        }
        #expect(throws: RemediationError.parameterCollision("a-b", "a_b")) {
            try ActionRenderer.render(action, context: TemplateContext(service: "s", parameters: ["a-b": "1", "a_b": "2"]))
        }
    }
}
