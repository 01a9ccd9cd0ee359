/// Sends one HTTP request, once: `AuroraHTTP.URLSessionTransport` (inside the `aurora-http` helper and
/// `aurora-watch`) and `AuroraExecutors.HelperProcessTransport` (which runs the helper), faked in tests.
/// Remediation actions, the AI hypothesis, Prometheus and Alertmanager all speak through it.
/// Retries are the caller's business, not the transport's.
package protocol HTTPTransport: Sendable {
    /// Sends `request` and returns the response, or why there is none.
    func send(_ request: HTTPRequestData) async -> Result<HTTPResponseData, HTTPTransportError>

    /// Sends `request`; a transport that sends through a process of its own (the `aurora-http` helper)
    /// reports it through `onProcessStart` as soon as it exists, so that it is recorded and supervised
    /// like any executor process.
    func send(_ request: HTTPRequestData, onProcessStart: @escaping @Sendable (ProcessStart) -> Void) async
        -> Result<HTTPResponseData, HTTPTransportError>
}

extension HTTPTransport {
    /// In-process transports start no process.
    package func send(_ request: HTTPRequestData, onProcessStart: @escaping @Sendable (ProcessStart) -> Void) async
        -> Result<HTTPResponseData, HTTPTransportError>
    {
        await send(request)
    }
}

/// One request on the wire.
package struct HTTPRequestData: Sendable, Equatable {
    /// The method.
    package var method: String
    /// The URL.
    package var url: String
    /// Headers in order (resolved values: secrets included, for the wire only).
    package var headers: [HTTPHeaderField]
    /// The body.
    package var body: [UInt8]?
    /// Seconds the whole exchange may take.
    package var timeout: Double
    /// Response-body bytes kept; the rest is dropped and `bodyTruncated` set.
    package var bodyLimit: Int

    /// Creates a request.
    package init(method: String, url: String, headers: [HTTPHeaderField] = [], body: [UInt8]? = nil, timeout: Double, bodyLimit: Int = 64 * 1024) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.bodyLimit = bodyLimit
    }

    /// The value of a header (case-insensitive name).
    package func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// One header.
package struct HTTPHeaderField: Sendable, Equatable {
    /// The name.
    package var name: String
    /// The value.
    package var value: String

    /// Creates a header.
    package init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// A response.
package struct HTTPResponseData: Sendable, Equatable {
    /// The status code.
    package var status: Int
    /// Headers, names lower-cased.
    package var headers: [String: String]
    /// The body, at most the request's limit.
    package var body: [UInt8]
    /// Whether the body was cut at the limit.
    package var bodyTruncated: Bool

    /// Creates a response.
    package init(status: Int, headers: [String: String] = [:], body: [UInt8] = [], bodyTruncated: Bool = false) {
        self.status = status
        self.headers = headers
        self.body = body
        self.bodyTruncated = bodyTruncated
    }
}

/// Why a request produced no response.
package enum HTTPTransportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The connection could not be made (refused, DNS, unreachable): the request was **not** sent.
    case connectionFailed(String)
    /// No answer in time. `requestSent` is false only when the transport knows nothing was sent.
    case timedOut(requestSent: Bool)
    /// The TLS handshake failed (invalid certificate…): nothing was sent.
    case tls(String)
    /// A redirect to another host was not followed (it would have carried credentials elsewhere).
    case redirectRefused(String)
    /// The request never left aurora (the HTTP helper is missing, the request cannot be encoded): a
    /// set-up problem that retrying does not fix, and certainly nothing was sent.
    case notSent(String)
    /// Anything else; treated as "may have been sent".
    case other(String)

    /// Operator-readable text.
    package var description: String {
        switch self {
        case let .connectionFailed(detail): "connection failed: \(detail)"
        case let .timedOut(sent): sent ? "timed out waiting for the response" : "timed out before the request was sent"
        case let .tls(detail): "TLS failure: \(detail)"
        case let .redirectRefused(location): "redirect to another host refused: \(location)"
        case let .notSent(detail): "not sent: \(detail)"
        case let .other(detail): detail
        }
    }
}
