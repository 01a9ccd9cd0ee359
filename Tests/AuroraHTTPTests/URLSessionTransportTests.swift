import AuroraCore
import AuroraHTTP
import AuroraTestSupport
import Foundation
import Testing

/// The transports (URLSession; the socket one inside the aurora-http helper and aurora-watch) against
/// a loopback server: what they send, what they keep of the answer, and how each failure is classified
/// (the executor's retry decisions depend on the class). Both must behave alike.
@Suite struct URLSessionTransportTests {
    enum Kind: String, CaseIterable, Sendable {
        case urlSession, socket
        var transport: any HTTPTransport { self == .urlSession ? URLSessionTransport() : SocketHTTPTransport() }
    }

    @Test(arguments: Kind.allCases) func sendsMethodHeadersAndBodyAndReturnsTheAnswer(_ kind: Kind) async throws {
        let server = try LoopbackHTTPServer([.respond(status: 201, headers: ["X-Trace": "abc"], body: "made")])
        defer { server.stop() }
        let request = HTTPRequestData(method: "PUT", url: server.url + "/scale/checkout",
                                      headers: [HTTPHeaderField(name: "Authorization", value: "Bearer t0ken")],
                                      body: Array(#"{"replicas":6}"#.utf8), timeout: 5)
        let response = try await kind.transport.send(request).get()
        #expect(response.status == 201)
        #expect(response.headers["x-trace"] == "abc")
        #expect(response.body == Array("made".utf8))
        #expect(!response.bodyTruncated)
        let received = try #require(server.requests.first)
        #expect(received.hasPrefix("PUT /scale/checkout "))
        #expect(received.contains("Bearer t0ken"))
        #expect(received.hasSuffix(#"{"replicas":6}"#))
    }

    @Test(arguments: Kind.allCases) func theBodyIsCutAtTheLimit(_ kind: Kind) async throws {
        let server = try LoopbackHTTPServer([.respond(status: 200, body: String(repeating: "x", count: 10_000))])
        defer { server.stop() }
        let response = try await kind.transport.send(HTTPRequestData(method: "GET", url: server.url, timeout: 5, bodyLimit: 100)).get()
        #expect(response.body.count == 100)
        #expect(response.bodyTruncated)
    }

    @Test(arguments: Kind.allCases) func aRefusedConnectionIsAConnectionFailure(_ kind: Kind) async throws {
        let refused = try RefusingPort()
        defer { refused.close() }
        let result = await kind.transport.send(HTTPRequestData(method: "POST", url: refused.url + "/", timeout: 5))
        guard case .failure(.connectionFailed) = result else {
            Issue.record("expected a connection failure, got \(result)")
            return
        }
    }

    @Test(arguments: Kind.allCases) func aServerThatNeverAnswersTimesOutAfterSending(_ kind: Kind) async throws {
        let server = try LoopbackHTTPServer([.hang])
        defer { server.stop() }
        let result = await kind.transport.send(HTTPRequestData(method: "POST", url: server.url, timeout: 0.5))
        #expect(result == .failure(.timedOut(requestSent: true)))
    }

    @Test(arguments: Kind.allCases) func aRedirectToAnotherHostIsNotFollowed(_ kind: Kind) async throws {
        let server = try LoopbackHTTPServer([.respond(status: 302, headers: ["Location": "http://127.0.0.2:1/elsewhere"])])
        defer { server.stop() }
        let result = await kind.transport.send(HTTPRequestData(method: "GET", url: server.url, timeout: 5))
        guard case .failure(.redirectRefused(let location)) = result else {
            Issue.record("expected a refused redirect, got \(result)")
            return
        }
        #expect(location.contains("127.0.0.2"))
        #expect(server.requests.count == 1)
    }

    @Test(arguments: Kind.allCases) func aRedirectWithinTheOriginIsFollowed(_ kind: Kind) async throws {
        let server = try LoopbackHTTPServer([.respond(status: 302, headers: ["Location": "/next?x=1"]), .respond(status: 200, body: "here")])
        defer { server.stop() }
        let response = try await kind.transport.send(HTTPRequestData(method: "GET", url: server.url + "/first", timeout: 5)).get()
        #expect(response.status == 200)
        #expect(response.body == Array("here".utf8))
        #expect(server.requests.count == 2)
        #expect(server.requests.last?.hasPrefix("GET /next?x=1 ") == true)
    }
}
