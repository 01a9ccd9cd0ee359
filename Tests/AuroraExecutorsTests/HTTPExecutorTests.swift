import AuroraCore
import AuroraExecutors
import AuroraRemediation
import AuroraTestSupport
import Foundation
import Testing

@Suite("HTTP executor")
struct HTTPExecutorTests {
    static let secret = "s3cr3t-Token/with+chars=="

    func action(url: String, method: String = "POST", statuses: Set<Int> = [200], attempts: Int = 3,
                healthCheck: HealthCheckSpec? = nil, rollback: RollbackSpec? = nil) throws -> RenderedAction {
        let definition = ActionDefinition(
            name: "scale", type: "scale-up",
            executor: .http(HTTPSpec(method: method, url: url + "/scale/{service}",
                                     headers: [HeaderTemplate(name: "Authorization", value: "Bearer ${TOKEN}")],
                                     body: .object([(key: "service", value: .string("{service}"))]), expectedStatuses: statuses,
                                     retry: RetryPolicy(maxAttempts: attempts, initialDelay: 0.01, maxDelay: 5))),
            timeout: 2, healthCheck: healthCheck, rollback: rollback)
        return try ActionRenderer.render(definition, context: TemplateContext(service: "checkout"), secrets: ["TOKEN": Self.secret])
    }

    @Test func retriesServiceUnavailableThenSucceedsWithOneIdempotencyKey() async throws {
        let server = try LoopbackHTTPServer([
            .respond(status: 503, body: "busy \(Self.secret)"), .respond(status: 503, headers: ["Retry-After": "1"]),
            .respond(status: 200, body: "ok"),
        ])
        defer { server.stop() }
        let sleeper = RecordingSleeper()
        let executor = ActionExecutor(sleeper: sleeper)
        let report = await executor.execute(try action(url: server.url), idempotencyKey: "rem-42")
        #expect(report.outcome == .succeeded)
        #expect(report.action.attempts == 3)
        #expect(report.action.attemptLog == ["503", "503", "200"])
        let requests = server.requests
        #expect(requests.count == 3)
        for request in requests {
            #expect(request.lowercased().contains("idempotency-key: rem-42"))
            #expect(request.contains("Bearer \(Self.secret)"))
            #expect(request.hasPrefix("POST /scale/checkout "))
        }
        // Back-off: the first wait is jittered within [d/2, d); the second honours Retry-After: 1.
        #expect(sleeper.sleeps.count == 2)
        #expect(sleeper.sleeps[0] >= 0.005 && sleeper.sleeps[0] < 0.01)
        #expect(sleeper.sleeps[1] >= 1)
    }

    @Test(arguments: [400, 401, 403, 404, 409, 422])
    func clientErrorsAreNotRetried(_ status: Int) async throws {
        let server = try LoopbackHTTPServer([.respond(status: status), .respond(status: 200)])
        defer { server.stop() }
        let report = await ActionExecutor(sleeper: RecordingSleeper()).execute(try action(url: server.url), idempotencyKey: "k")
        #expect(report.outcome == .failed(reason: "HTTP \(status) (expected 200)"))
        #expect(report.action.attempts == 1)
        #expect(server.requests.count == 1)
    }

    @Test func exhaustedRetriesRollBackExactlyOnce() async throws {
        let server = try LoopbackHTTPServer([.respond(status: 500), .respond(status: 502), .respond(status: 503), .respond(status: 200)])
        defer { server.stop() }
        let rollback = RollbackSpec(executor: .http(HTTPSpec(method: "POST", url: server.url + "/undo", expectedStatuses: [200],
                                                             retry: RetryPolicy(maxAttempts: 1))), timeout: 2)
        let report = await ActionExecutor(sleeper: RecordingSleeper()).execute(try action(url: server.url, rollback: rollback), idempotencyKey: "k")
        #expect(report.outcome == .rolledBack(reason: "HTTP 503 after 3 attempts"))
        #expect(report.outcome.state == .rolledBack)
        #expect(report.rollback?.attempts == 1)
        #expect(server.requests.count == 4)
        #expect(server.requests[3].hasPrefix("POST /undo "))
    }

    @Test func failingRollbackIsRecordedAndNotRetried() async throws {
        let server = try LoopbackHTTPServer([.respond(status: 500), .respond(status: 500), .respond(status: 500)])
        defer { server.stop() }
        let rollback = RollbackSpec(executor: .http(HTTPSpec(method: "POST", url: server.url + "/undo", expectedStatuses: [200],
                                                             retry: RetryPolicy(maxAttempts: 1))), timeout: 2)
        let report = await ActionExecutor(sleeper: RecordingSleeper())
            .execute(try action(url: server.url, attempts: 2, rollback: rollback), idempotencyKey: "k")
        #expect(report.outcome == .rollbackFailed(reason: "HTTP 500 after 2 attempts", rollbackReason: "HTTP 500 after 1 attempt"))
        #expect(report.outcome.state == .failed)
        #expect(server.requests.count == 3)
    }

    @Test func timeoutAfterSendingANonIdempotentRequestIsUnknownAndNotRetried() async throws {
        let server = try LoopbackHTTPServer([.hang, .respond(status: 200)])
        defer { server.stop() }
        let definition = ActionDefinition(name: "a", type: "scale-up", executor: .http(HTTPSpec(
            method: "POST", url: server.url + "/x", retry: RetryPolicy(maxAttempts: 3, initialDelay: 0.01))), timeout: 0.5)
        let rendered = try ActionRenderer.render(definition, context: TemplateContext(service: "s"))
        let report = await ActionExecutor(sleeper: RecordingSleeper()).execute(rendered, idempotencyKey: "k")
        guard case let .unknown(reason) = report.outcome else { Issue.record("expected unknown, got \(report.outcome)"); return }
        #expect(reason.hasPrefix("timed out waiting for the response after the request was sent"))
        #expect(report.action.duration >= 0.4)
        #expect(report.action.attempts == 1)
        #expect(server.requests.count == 1)
    }

    @Test func timeoutOfAnIdempotentRequestIsRetried() async throws {
        let server = try LoopbackHTTPServer([.hang, .respond(status: 200)])
        defer { server.stop() }
        let definition = ActionDefinition(name: "a", type: "scale-up", executor: .http(HTTPSpec(
            method: "PUT", url: server.url + "/x", retry: RetryPolicy(maxAttempts: 3, initialDelay: 0.01))), timeout: 0.5)
        let rendered = try ActionRenderer.render(definition, context: TemplateContext(service: "s"))
        let report = await ActionExecutor(sleeper: RecordingSleeper()).execute(rendered, idempotencyKey: "k")
        #expect(report.outcome == .succeeded)
        #expect(report.action.attempts == 2)
        #expect(report.action.attemptLog.first == "timed out waiting for the response")
    }

    @Test func connectionRefusedIsRetriedThenFails() async throws {
        let refused = try RefusingPort()
        defer { refused.close() }
        let url = refused.url
        let sleeper = RecordingSleeper()
        let report = await ActionExecutor(sleeper: sleeper).execute(try action(url: url), idempotencyKey: "k")
        guard case let .failed(reason) = report.outcome else { Issue.record("expected failed, got \(report.outcome)"); return }
        #expect(reason.contains("connection failed"))
        #expect(report.action.attempts == 3)
        #expect(sleeper.sleeps.count == 2)
    }

    @Test func responseBodyIsCappedAndRedacted() async throws {
        let big = String(repeating: "a", count: 200_000) + Self.secret
        let server = try LoopbackHTTPServer([.respond(status: 500, body: "oops \(Self.secret)"), .respond(status: 200, body: big)])
        defer { server.stop() }
        let definition = ActionDefinition(name: "a", type: "scale-up", executor: .http(HTTPSpec(
            method: "GET", url: server.url + "/x", headers: [HeaderTemplate(name: "Authorization", value: "Bearer ${TOKEN}")],
            retry: RetryPolicy(maxAttempts: 2, initialDelay: 0.01), responseBodyLimit: 1000)), timeout: 2)
        let rendered = try ActionRenderer.render(definition, context: TemplateContext(service: "s"), secrets: ["TOKEN": Self.secret])
        let report = await ActionExecutor(sleeper: RecordingSleeper()).execute(rendered, idempotencyKey: "k")
        #expect(report.outcome == .succeeded)
        #expect(report.action.output.utf8.count <= 1000)
        #expect(report.action.outputTruncated)
        #expect(!rendered.redactedDescription.contains(Self.secret))
        #expect(rendered.redactedDescription.contains("Authorization: Bearer ***"))
    }

    @Test func crossHostRedirectIsNotFollowed() async throws {
        let other = try LoopbackHTTPServer([.respond(status: 200)])
        defer { other.stop() }
        // "localhost" is another host name than 127.0.0.1 for the origin check.
        let server = try LoopbackHTTPServer([.respond(status: 302, headers: ["Location": "http://localhost:\(other.port)/steal"])])
        defer { server.stop() }
        let definition = ActionDefinition(name: "a", type: "scale-up", executor: .http(HTTPSpec(
            method: "GET", url: server.url + "/x", headers: [HeaderTemplate(name: "Authorization", value: "Bearer ${TOKEN}")],
            retry: RetryPolicy(maxAttempts: 1))), timeout: 2)
        let rendered = try ActionRenderer.render(definition, context: TemplateContext(service: "s"), secrets: ["TOKEN": Self.secret])
        let report = await ActionExecutor(sleeper: RecordingSleeper()).execute(rendered, idempotencyKey: "k")
        #expect(report.outcome.state == .failed)
        #expect(other.requests.isEmpty)
    }

    @Test func healthCheckFailureTriggersRollback() async throws {
        let server = try LoopbackHTTPServer([
            .respond(status: 200), .respond(status: 200, body: "degraded"), .respond(status: 503), .respond(status: 200),
        ])
        defer { server.stop() }
        let health = HealthCheckSpec(probe: .http(method: "GET", url: server.url + "/health", headers: [], expectedStatuses: [200],
                                                  bodyContains: "healthy"), retries: 1, interval: 7, timeout: 2)
        let rollback = RollbackSpec(executor: .http(HTTPSpec(method: "POST", url: server.url + "/undo", retry: RetryPolicy(maxAttempts: 1))), timeout: 2)
        let sleeper = RecordingSleeper()
        let report = await ActionExecutor(sleeper: sleeper).execute(try action(url: server.url, healthCheck: health, rollback: rollback), idempotencyKey: "k")
        guard case let .rolledBack(reason) = report.outcome else { Issue.record("expected rolled back, got \(report.outcome)"); return }
        #expect(reason.hasPrefix("health check failed after 2 tries"))
        #expect(report.health?.attempts == 2)
        #expect(sleeper.sleeps == [7])
    }

    @Test func scriptedTransportRetryAfterBeyondLimitStops() async throws {
        let transport = FakeHTTPTransport([.success(HTTPResponseData(status: 429, headers: ["retry-after": "3600"]))])
        let executor = HTTPExecutor(transport: transport, sleeper: RecordingSleeper(), clock: StoppedClock())
        let request = try action(url: "http://x")
        guard case let .http(http) = request.invocation else { return }
        let report = await executor.execute(http, timeout: 1, idempotencyKey: "k", redactor: request.redactor)
        #expect(!report.succeeded)
        #expect(report.attempts == 1)
        #expect(report.reason?.contains("Retry-After 3600s") == true)
    }

    @Test func tlsHandshakeFailureFailsWithoutRetryOrUnknown() async throws {
        // A plain-HTTP server cannot complete a TLS handshake: the request is never sent.
        let server = try LoopbackHTTPServer([.respond(status: 200), .respond(status: 200)])
        defer { server.stop() }
        let report = await ActionExecutor(sleeper: RecordingSleeper())
            .execute(try action(url: "https://127.0.0.1:\(server.port)"), idempotencyKey: "k")
        guard case let .failed(reason) = report.outcome else { Issue.record("expected failed, got \(report.outcome)"); return }
        #expect(reason.hasPrefix("TLS failure"))
        #expect(report.action.attempts == 1)
    }

    /// A missing helper is a set-up problem: the POST never left aurora, so its outcome is a plain
    /// failure (not "unknown, maybe sent"), and retrying would not help.
    @Test func aRequestThatWasNeverSentFailsPlainlyWithoutRetry() async throws {
        let transport = FakeHTTPTransport([.failure(.notSent("the HTTP helper /x/aurora-http is missing")), .success(HTTPResponseData(status: 200))])
        let executor = HTTPExecutor(transport: transport, sleeper: RecordingSleeper(), clock: StoppedClock())
        let request = try action(url: "http://x", method: "POST")
        guard case let .http(http) = request.invocation else { return }
        let report = await executor.execute(http, timeout: 1, idempotencyKey: "k", redactor: request.redactor)
        #expect(!report.succeeded && !report.unknown)
        #expect(transport.requests.count == 1)
    }

    @Test func tlsFailuresAreNotRetried() async throws {
        let transport = FakeHTTPTransport([.failure(.tls("certificate untrusted")), .success(HTTPResponseData(status: 200))])
        let executor = HTTPExecutor(transport: transport, sleeper: RecordingSleeper(), clock: StoppedClock())
        let request = try action(url: "https://x")
        guard case let .http(http) = request.invocation else { return }
        let report = await executor.execute(http, timeout: 1, idempotencyKey: "k", redactor: request.redactor)
        #expect(!report.succeeded && !report.unknown)
        #expect(transport.requests.count == 1)
    }

    @Test func backoffGrowsWithJitter() async throws {
        let transport = FakeHTTPTransport(Array(repeating: .failure(.connectionFailed("refused")), count: 6))
        let sleeper = RecordingSleeper()
        let executor = HTTPExecutor(transport: transport, sleeper: sleeper, clock: StoppedClock())
        let definition = ActionDefinition(name: "a", type: "scale-up", executor: .http(HTTPSpec(
            method: "POST", url: "http://x/", retry: RetryPolicy(maxAttempts: 6, initialDelay: 1, maxDelay: 8))))
        let rendered = try ActionRenderer.render(definition, context: TemplateContext(service: "s"))
        guard case let .http(http) = rendered.invocation else { return }
        _ = await executor.execute(http, timeout: 1, idempotencyKey: "k", redactor: rendered.redactor)
        let bases = [1.0, 2, 4, 8, 8]
        #expect(sleeper.sleeps.count == 5)
        for (sleep, base) in zip(sleeper.sleeps, bases) { #expect(sleep >= base / 2 && sleep < base) }
        #expect(Set(transport.requests.compactMap { $0.header("Idempotency-Key") }) == ["k"])
    }
}
