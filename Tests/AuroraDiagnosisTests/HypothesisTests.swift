import AuroraCore
import Foundation
import AuroraDiagnosis
import AuroraTestSupport
import Testing

@Suite("AI hypothesis")
struct HypothesisTests {
    let settings = HypothesisSettings(endpoint: URL(string: "http://127.0.0.1:8080/v1")!, model: "test-model", apiKey: "sk-test",
                                      timeoutSeconds: 5)

    func diagnosis() throws -> Diagnosis {
        let series = [
            makeSeries("latency", service: "api", changeAt: 302, change: 30),
            makeSeries("latency", service: "db", changeAt: 300, change: 30),
        ]
        let window = try IncidentWindow(start: windowStart, end: windowEnd, history: 3_000_000)
        return try RootCauseAnalyzer(patterns: try PatternLibrary.builtIn(), graph: ServiceGraph(dependsOn: ["api": ["db"]]))
            .analyze(series, window: window)
    }

    static func reply(_ content: String, status: Int = 200) -> HTTPResponseData {
        let envelope: [String: Any] = ["choices": [["message": ["role": "assistant", "content": content]]]]
        let body = (try? JSONSerialization.data(withJSONObject: envelope)) ?? Data()
        return HTTPResponseData(status: status, body: [UInt8](body))
    }

    @Test func requestIsAnOpenAIChatCompletion() throws {
        let client = HypothesisClient(settings: settings, transport: FakeHTTPTransport(answer: { _ in .success(Self.reply("{}")) }))
        let request = try client.makeRequest(for: try diagnosis())
        #expect(request.url == "http://127.0.0.1:8080/v1/chat/completions")
        #expect(request.method == "POST")
        #expect(request.timeout == 5)
        #expect(request.header("authorization") == "Bearer sk-test")
        #expect(request.header("Content-Type") == "application/json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(request.body ?? [])) as? [String: Any])
        #expect(object["model"] as? String == "test-model")
        let messages = try #require(object["messages"] as? [[String: String]])
        #expect(messages.map { $0["role"] } == ["system", "user"])
        #expect(messages[1]["content"]?.contains("db") == true)
    }

    @Test func validReplyBecomesEvidence() async throws {
        let content = #"{"service":"db","cause":"slow disk on db","remediation":"failover","confidence":0.8,"reasoning":"db moved first"}"#
        let transport = FakeHTTPTransport(answer: { _ in .success(Self.reply(content)) })
        let client = HypothesisClient(settings: settings, transport: transport)
        let base = try diagnosis()
        let outcome = await client.ask(about: base)
        let expected = Hypothesis(cause: "slow disk on db", remediation: "failover", confidence: 0.8, reasoning: "db moved first",
                                  service: "db")
        #expect(outcome == .hypothesis(expected))
        #expect(transport.requests.count == 1)
        let applied = HypothesisClient.apply(outcome, to: base)
        let db = try #require(applied.candidates.first { $0.service == "db" })
        #expect(db.evidence.contains { $0.source == .hypothesis && $0.text.contains("slow disk") })
        #expect(applied.candidates.map(\.confidence) == base.candidates.map(\.confidence))
    }

    @Test func fencedJSONIsAccepted() throws {
        let content = "```json\n{\"cause\":\"c\",\"remediation\":\"r\",\"confidence\":1,\"reasoning\":\"x\"}\n```"
        let body = Data(Self.reply(content).body)
        #expect(try HypothesisClient.parseReply(body).cause == "c")
    }

    @Test(arguments: [
        "not json at all",
        #"{"cause":"c","remediation":"r","confidence":1.5,"reasoning":"x"}"#,
        #"{"cause":"c","remediation":"r","confidence":"high","reasoning":"x"}"#,
        #"{"cause":"","remediation":"r","confidence":0.5,"reasoning":"x"}"#,
        #"{"cause":"c","confidence":0.5,"reasoning":"x"}"#,
        #"{"cause":"c","remediation":"r","confidence":true,"reasoning":"x"}"#,
        #"["cause"]"#,
    ])
    func invalidRepliesFallBack(content: String) async throws {
        let client = HypothesisClient(settings: settings, transport: FakeHTTPTransport(answer: { _ in .success(Self.reply(content)) }))
        let outcome = await client.ask(about: try diagnosis())
        guard case let .fallback(reason) = outcome else {
            Issue.record("expected a fallback, got \(outcome)")
            return
        }
        #expect(reason.contains("not usable"))
    }

    @Test func transportFailuresAndHTTPErrorsFallBack() async throws {
        let failing = HypothesisClient(settings: settings, transport: FakeHTTPTransport([.failure(.timedOut(requestSent: true))]))
        let base = try diagnosis()
        let timedOut = await failing.ask(about: base)
        #expect(timedOut == .fallback(reason: "the AI endpoint did not answer: timed out waiting for the response"))
        let refusing = HypothesisClient(settings: settings, transport: FakeHTTPTransport(answer: { _ in .success(Self.reply("{}", status: 503)) }))
        #expect(await refusing.ask(about: base) == .fallback(reason: "the AI endpoint answered HTTP 503"))
        let noted = HypothesisClient.apply(timedOut, to: base)
        #expect(noted.notes.last?.contains("AI hypothesis unavailable") == true)
        #expect(noted.candidates == base.candidates)
        let garbage = HypothesisClient(settings: settings, transport: FakeHTTPTransport([.success(HTTPResponseData(status: 200, body: Array("<html>".utf8)))]))
        #expect(await garbage.ask(about: base) == .fallback(reason: "the AI reply was not usable: not a chat-completions reply"))
    }
}
