import AuroraCore
import AuroraLive
import FlyingFox
import FlyingSocks
import Foundation

/// The HTTP listener of `aurora watch --listen`: Alertmanager's webhook (`POST /alertmanager`,
/// payload version 4), `GET /healthz` and `GET /metrics`. A webhook is answered at once (200) and
/// handled by the loop's next pass; a body over the limit is refused with 413 before it is read, bad
/// JSON with 400 (and logged), a missing or wrong bearer token (when one is configured) with 401.
package final class WebhookListener: @unchecked Sendable {
    // Unchecked: `task` is set once in `start` and read in `stop`, both from the loop's task.
    package struct Settings: Sendable {
        package var address: String
        package var bodyLimit: Int
        /// The bearer token webhooks must carry; nil: none.
        package var token: String?

        package init(address: String, bodyLimit: Int, token: String?) {
            self.address = address
            self.bodyLimit = bodyLimit
            self.token = token
        }
    }

    let settings: Settings
    let server: HTTPServer
    let inbox: WebhookInbox
    let metrics: WatchMetrics
    let log: WatchLog
    let health: @Sendable () -> (ok: Bool, text: String)
    private var task: Task<Void, any Error>?

    /// Binds nothing yet; `start` does.
    package init(settings: Settings, inbox: WebhookInbox, metrics: WatchMetrics, log: WatchLog,
                health: @escaping @Sendable () -> (ok: Bool, text: String)) throws {
        self.settings = settings
        server = HTTPServer(address: try Self.socketAddress(settings.address), timeout: 15, logger: .disabled)
        self.inbox = inbox
        self.metrics = metrics
        self.log = log
        self.health = health
    }

    /// Starts listening; throws when the address cannot be bound.
    package func start() async throws {
        let server = self.server
        let (limit, token, inbox, metrics, log, health) = (settings.bodyLimit, settings.token, self.inbox, self.metrics, self.log, self.health)
            await server.appendRoute("POST /alertmanager") { request in
                if let token, request.headers[.authorization] != "Bearer \(token)" {
                    metrics.recordWebhook("unauthorized")
                    log.event("webhook", "refused a webhook without the bearer token (401)", level: "warning")
                    return Self.reply(401, "a bearer token is required\n")
                }
                if let count = request.bodySequence.count, count > limit {
                    metrics.recordWebhook("too_large")
                    log.event("webhook", "refused a \(count)-byte webhook (limit \(limit) bytes, 413)", level: "warning")
                    return Self.reply(413, "body larger than \(limit) bytes\n")
                }
                var body = Data()
                for try await chunk in request.bodySequence {
                    body.append(chunk)
                    if body.count > limit {
                        metrics.recordWebhook("too_large")
                        return Self.reply(413, "body larger than \(limit) bytes\n")
                    }
                }
                let alerts: [WebhookAlert]
                do {
                    alerts = try WebhookPayload.decode(body)
                } catch {
                    metrics.recordWebhook("bad_request")
                    log.event("webhook", "bad webhook payload (400): \(error)", level: "warning")
                    return Self.reply(400, "\(error)\n")
                }
                let added = inbox.add(alerts)
                metrics.recordWebhook("accepted")
                return Self.reply(200, #"{"status":"accepted","alerts":\#(alerts.count),"new":\#(added)}"# + "\n", type: "application/json")
            }
            await server.appendRoute("GET /healthz") { _ in
                let (ok, text) = health()
                return Self.reply(ok ? 200 : 503, text + "\n")
            }
            await server.appendRoute("GET /metrics") { _ in
                Self.reply(200, metrics.render(), type: "text/plain; version=0.0.4; charset=utf-8")
            }
        task = Task { try await server.run() }
        do {
            try await server.waitUntilListening(timeout: 5)
        } catch {
            task?.cancel()
            let reason = (try? await task?.value).map { _ in "" } ?? ""
            throw SimpleFailure(.unavailable, "cannot listen on \(settings.address)\(reason.isEmpty ? "" : ": \(reason)")")
        }
    }

    /// Stops listening.
    package func stop() async {
        await server.stop(timeout: 1)
        task?.cancel()
    }

    static func reply(_ status: Int, _ text: String, type: String = "text/plain; charset=utf-8") -> HTTPResponse {
        HTTPResponse(statusCode: HTTPStatusCode(status, phrase: phrase(status)), headers: [.contentType: type], body: Data(text.utf8))
    }

    static func phrase(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 413: "Content Too Large"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }

    /// `127.0.0.1:9095`, `0.0.0.0:9095`, `[::1]:9095`, or `:9095` (every IPv4 address).
    static func socketAddress(_ text: String) throws -> any SocketAddress {
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]) else {
            throw SimpleFailure(.usage, "--listen: `\(text)` is not HOST:PORT (e.g. 127.0.0.1:9095)")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") {
            host = String(host.dropFirst().dropLast())
            return try sockaddr_in6.inet6(ip6: host, port: port)
        }
        if host.isEmpty { host = "0.0.0.0" }
        if host == "localhost" { host = "127.0.0.1" }
        do {
            return try sockaddr_in.inet(ip4: host, port: port)
        } catch {
            throw SimpleFailure(.usage, "--listen: `\(host)` is not an IPv4 address (write [::1] for IPv6)")
        }
    }
}

/// Alertmanager's webhook payload, version 4.
enum WebhookPayload {
    struct Payload: Decodable {
        var version: String?
        var alerts: [Item]
    }

    struct Item: Decodable {
        var status: String
        var labels: [String: String]
        var annotations: [String: String]?
        var startsAt: String
        var fingerprint: String?
    }

    struct Problem: Error, CustomStringConvertible {
        let description: String
    }

    static func decode(_ body: Data) throws -> [WebhookAlert] {
        let payload: Payload
        do {
            payload = try JSONDecoder().decode(Payload.self, from: body)
        } catch let error as DecodingError {
            throw Problem(description: "not an Alertmanager webhook payload: \(describe(error))")
        }
        guard payload.version == nil || payload.version == "4" else {
            throw Problem(description: "payload version \(payload.version ?? "?") is not supported (version 4 is)")
        }
        return payload.alerts.map { item in
            // Alertmanager always sends a fingerprint; without one, the labels stand in for it.
            let fingerprint = item.fingerprint ?? item.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            return WebhookAlert(status: item.status, labels: item.labels, annotations: item.annotations ?? [:],
                                startsAt: item.startsAt, fingerprint: fingerprint)
        }
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context): return context.codingPath.isEmpty ? "invalid JSON" : "invalid value at \(path(context))"
        case .keyNotFound(let key, let context): return "missing `\(key.stringValue)`\(context.codingPath.isEmpty ? "" : " at \(path(context))")"
        case .typeMismatch(_, let context), .valueNotFound(_, let context): return "wrong type at \(path(context))"
        @unknown default: return "unreadable"
        }
    }

    static func path(_ context: DecodingError.Context) -> String {
        context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    }
}
