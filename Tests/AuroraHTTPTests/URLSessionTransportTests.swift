import AuroraCore
import AuroraHTTP
import AuroraTestSupport
import Foundation
import Testing

/// The URLSession transport (inside the aurora-http helper and aurora-watch) against a loopback
/// server: what it sends, what it keeps of the answer, and how each failure is classified (the
/// executor's retry decisions depend on the class).
@Suite struct URLSessionTransportTests {
    @Test func sendsMethodHeadersAndBodyAndReturnsTheAnswer() async throws {
        let server = try LoopbackHTTPServer([.respond(status: 201, headers: ["X-Trace": "abc"], body: "made")])
        defer { server.stop() }
        let request = HTTPRequestData(method: "PUT", url: server.url + "/scale/checkout",
                                      headers: [HTTPHeaderField(name: "Authorization", value: "Bearer t0ken")],
                                      body: Array(#"{"replicas":6}"#.utf8), timeout: 5)
        let response = try await URLSessionTransport().send(request).get()
        #expect(response.status == 201)
        #expect(response.headers["x-trace"] == "abc")
        #expect(response.body == Array("made".utf8))
        #expect(!response.bodyTruncated)
        let received = try #require(server.requests.first)
        #expect(received.hasPrefix("PUT /scale/checkout "))
        #expect(received.contains("Bearer t0ken"))
        #expect(received.hasSuffix(#"{"replicas":6}"#))
    }

    @Test func theBodyIsCutAtTheLimit() async throws {
        let server = try LoopbackHTTPServer([.respond(status: 200, body: String(repeating: "x", count: 10_000))])
        defer { server.stop() }
        let response = try await URLSessionTransport().send(HTTPRequestData(method: "GET", url: server.url, timeout: 5, bodyLimit: 100)).get()
        #expect(response.body.count == 100)
        #expect(response.bodyTruncated)
    }

    @Test func aRefusedConnectionIsAConnectionFailure() async {
        let result = await URLSessionTransport().send(HTTPRequestData(method: "POST", url: "http://127.0.0.1:\(refusedPort())/", timeout: 5))
        guard case .failure(.connectionFailed) = result else {
            Issue.record("expected a connection failure, got \(result)")
            return
        }
    }

    @Test func aServerThatNeverAnswersTimesOutAfterSending() async throws {
        let server = try LoopbackHTTPServer([.hang])
        defer { server.stop() }
        let result = await URLSessionTransport().send(HTTPRequestData(method: "POST", url: server.url, timeout: 0.5))
        #expect(result == .failure(.timedOut(requestSent: true)))
    }

    @Test func aRedirectToAnotherHostIsNotFollowed() async throws {
        let server = try LoopbackHTTPServer([.respond(status: 302, headers: ["Location": "http://127.0.0.2:1/elsewhere"])])
        defer { server.stop() }
        let result = await URLSessionTransport().send(HTTPRequestData(method: "GET", url: server.url, timeout: 5))
        guard case .failure(.redirectRefused(let location)) = result else {
            Issue.record("expected a refused redirect, got \(result)")
            return
        }
        #expect(location.contains("127.0.0.2"))
        #expect(server.requests.count == 1)
    }
}
