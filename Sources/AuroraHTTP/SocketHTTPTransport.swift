import AuroraCore
import Foundation

/// Sends plain `http://` requests over a socket of its own (HTTP/1.1, one request per connection) and
/// hands `https://` to `URLSessionTransport`.
///
/// Why: FoundationNetworking's URLSession spent about a second of CPU receiving one 4 MB Prometheus
/// answer (10,000 series) on loopback, re-arming dispatch timers and sources for every piece curl read;
/// `aurora watch` reads such an answer every pass. A blocking socket read on a thread of its own does
/// the same in milliseconds. The behaviour is URLSession's: the request's timeout for the whole
/// exchange, the body capped at its limit, redirects followed only within the same scheme, host and
/// port, and the same failure classes.
package struct SocketHTTPTransport: HTTPTransport {
    /// Redirects followed within the origin before giving up.
    static let maximumRedirects = 10

    /// Creates a transport.
    package init() {}

    /// Sends `request` once.
    package func send(_ request: HTTPRequestData) async -> Result<HTTPResponseData, HTTPTransportError> {
        guard let target = PlainURL(request.url) else { return await URLSessionTransport().send(request) }
        return await withCheckedContinuation { continuation in
            // Blocking reads must not hold a thread of Swift's cooperative pool.
            Thread.detachNewThread {
                continuation.resume(returning: Self.exchange(request, target: target))
            }
        }
    }

    /// The whole exchange, redirects included, within the request's timeout.
    static func exchange(_ request: HTTPRequestData, target first: PlainURL) -> Result<HTTPResponseData, HTTPTransportError> {
        let timeout = request.timeout.isFinite ? min(max(0, request.timeout), 86_400) : 86_400
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(timeout * 1e9)
        var target = first
        var method = request.method
        var body = request.body
        for _ in 0...maximumRedirects {
            let result = SocketExchange.send(method: method, target: target, headers: request.headers, body: body,
                                             bodyLimit: request.bodyLimit, deadline: deadline)
            guard case .success(let response) = result, [301, 302, 303, 307, 308].contains(response.status),
                  let location = response.headers["location"] else { return result }
            guard let next = PlainURL(location, relativeTo: target), next.sameOrigin(as: target) else {
                return .failure(.redirectRefused(location))
            }
            // As URLSession does: 307 and 308 repeat the request, the others become a GET without a body.
            if ![307, 308].contains(response.status) {
                method = "GET"
                body = nil
            }
            target = next
        }
        return .failure(.other("too many redirects"))
    }
}

/// A plain-HTTP URL split into what a request needs.
struct PlainURL: Equatable {
    var host: String
    var port: UInt16
    /// Path and query, as written (`/` when empty).
    var target: String

    init(host: String, port: UInt16, target: String) {
        self.host = host
        self.port = port
        self.target = target
    }

    /// Parses `http://host[:port][/path][?query]`; nil for anything else (https, user info, bad ports).
    init?(_ text: String) {
        guard text.lowercased().hasPrefix("http://") else { return nil }
        let rest = text.dropFirst("http://".count)
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var path = String(rest[authorityEnd...])
        if let fragment = path.firstIndex(of: "#") { path = String(path[..<fragment]) }
        guard !authority.isEmpty, !authority.contains("@") else { return nil }
        var host = String(authority)
        var port: UInt16 = 80
        if authority.hasPrefix("[") {
            // [IPv6]:port
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":"), let parsed = UInt16(after.dropFirst()), parsed > 0 else { return nil }
                port = parsed
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            guard let parsed = UInt16(authority[authority.index(after: colon)...]), parsed > 0 else { return nil }
            port = parsed
        }
        guard !host.isEmpty, !path.contains(where: { $0 == " " || $0 == "\r" || $0 == "\n" }) else { return nil }
        self.host = host
        self.port = port
        self.target = path.isEmpty ? "/" : (path.hasPrefix("?") ? "/" + path : path)
    }

    /// A redirect's `Location`: absolute, or a path on the same origin.
    init?(_ location: String, relativeTo base: PlainURL) {
        if location.hasPrefix("/"), !location.hasPrefix("//") {
            self = base
            target = location
            guard !location.contains(where: { $0 == " " || $0 == "\r" || $0 == "\n" }) else { return nil }
        } else {
            self.init(location)
        }
    }

    func sameOrigin(as other: PlainURL) -> Bool { host.lowercased() == other.host.lowercased() && port == other.port }

    /// The `Host` header's value.
    var hostHeader: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == 80 ? name : "\(name):\(port)"
    }
}
