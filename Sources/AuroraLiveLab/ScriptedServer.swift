import AuroraCore
import AuroraHTTP
import FlyingFox
import Foundation

/// An HTTP server on a free loopback port that answers from a script: per path, a queue of canned
/// replies; when a path's queue is empty, the request is forwarded to `upstream` (a real Prometheus)
/// or answered 404. Tests use it in front of the real servers to inject 503s, non-JSON bodies,
/// warnings and disappearing series, and to see exactly what aurora sent.
package final class ScriptedServer: @unchecked Sendable {
    // Unchecked: the mutable script and log are guarded by `lock`.
    package struct Reply: Sendable {
        package var status: Int
        package var body: String
        package var headers: [String: String]
        package var delay: Double

        package init(status: Int, body: String, headers: [String: String] = ["Content-Type": "application/json"], delay: Double = 0) {
            self.status = status
            self.body = body
            self.headers = headers
            self.delay = delay
        }
    }

    /// One request received.
    package struct Received: Sendable {
        package var method: String
        package var path: String
        package var headers: [String: String]
        package var body: String
    }

    private let lock = NSLock()
    private var script: [String: [Reply]] = [:]
    private var rewrite: (@Sendable (String, Reply) -> Reply)?
    private var received: [Received] = []
    private let server: HTTPServer
    private var task: Task<Void, any Error>?
    package let port: UInt16
    package let upstream: String?

    package var url: String { "http://127.0.0.1:\(port)" }

    /// Starts a server; `upstream` is where unscripted requests go.
    package init(upstream: String? = nil) async throws {
        port = try FreePort.next()
        self.upstream = upstream
        server = HTTPServer(address: try sockaddr_in.inet(ip4: "127.0.0.1", port: port))
        let transport = URLSessionTransport()
        await server.appendRoute("*") { [weak self] request in
            guard let self else { return HTTPResponse(statusCode: .serviceUnavailable) }
            let body = try await request.bodyData
            var headers: [String: String] = [:]
            for (name, value) in request.headers { headers[name.rawValue.lowercased()] = value }
            let path = request.path
            self.lock.withLock {
                self.received.append(Received(method: request.method.rawValue, path: path, headers: headers,
                                              body: String(decoding: body, as: UTF8.self)))
            }
            var reply = self.lock.withLock { () -> Reply? in
                guard var queue = self.script[path], !queue.isEmpty else { return nil }
                let first = queue.removeFirst()
                self.script[path] = queue
                return first
            }
            if reply == nil, let upstream = self.upstream {
                let forwarded = await transport.send(HTTPRequestData(
                    method: request.method.rawValue, url: upstream + path,
                    headers: headers["content-type"].map { [HTTPHeaderField(name: "Content-Type", value: $0)] } ?? [],
                    body: [UInt8](body), timeout: 10, bodyLimit: 256 << 20))
                switch forwarded {
                case .success(let response):
                    reply = Reply(status: response.status, body: String(decoding: response.body, as: UTF8.self))
                case .failure(let error):
                    reply = Reply(status: 502, body: "upstream: \(error)", headers: ["Content-Type": "text/plain"])
                }
                if let rewrite = self.lock.withLock({ self.rewrite }), let current = reply { reply = rewrite(path, current) }
            }
            let answer = reply ?? Reply(status: 404, body: "not scripted", headers: ["Content-Type": "text/plain"])
            if answer.delay > 0 { try await Task.sleep(nanoseconds: UInt64(answer.delay * 1e9)) }
            var responseHeaders = HTTPHeaders()
            for (name, value) in answer.headers { responseHeaders[HTTPHeader(name)] = value }
            return HTTPResponse(statusCode: HTTPStatusCode(answer.status, phrase: "Scripted"), headers: responseHeaders,
                                body: Data(answer.body.utf8))
        }
        let server = self.server
        task = Task { try await server.run() }
        try await server.waitUntilListening(timeout: 10)
    }

    /// Queues replies for a path (`/api/v1/query_range`), used before any forwarding.
    package func enqueue(_ path: String, _ replies: Reply...) {
        lock.withLock { script[path, default: []] += replies }
    }

    /// Drops the replies still queued for a path (the failure is over).
    package func clear(_ path: String) {
        lock.withLock { script[path] = nil }
    }

    /// Rewrites forwarded answers (to drop a series, add warnings…); nil stops rewriting.
    package func rewriteForwarded(_ transform: (@Sendable (String, Reply) -> Reply)?) {
        lock.withLock { rewrite = transform }
    }

    /// Requests received so far.
    package var requests: [Received] { lock.withLock { received } }

    /// Stops the server.
    package func stop() async {
        await server.stop(timeout: 1)
        task?.cancel()
    }
}
