import AuroraCore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Sends one request with URLSession: ephemeral session (no cookies, no cache), the request's
/// timeout for the whole exchange, the response body capped, default TLS validation (an invalid
/// certificate fails), and redirects followed only within the same scheme, host and port — a redirect
/// elsewhere is not followed, so credentials never travel to another host.
package struct URLSessionTransport: HTTPTransport {
    /// Creates a transport.
    package init() {}

    /// Sends `request` once.
    package func send(_ request: HTTPRequestData) async -> Result<HTTPResponseData, HTTPTransportError> {
        let timeout = request.timeout.isFinite ? min(max(0, request.timeout), 86_400) : 86_400
        guard let url = URL(string: request.url), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            return .failure(.other("invalid URL"))
        }
        var urlRequest = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout.rounded(.up) + 1)
        urlRequest.httpMethod = request.method
        for header in request.headers { urlRequest.addValue(header.value, forHTTPHeaderField: header.name) }
        if let body = request.body { urlRequest.httpBody = Data(body) }
        let configuration = URLSessionConfiguration.ephemeral
        // libcurl under FoundationNetworking truncates timeouts to whole seconds (0.5 s becomes "now"),
        // so URLSession gets a generous bound and our own timer enforces the exact one.
        configuration.timeoutIntervalForRequest = timeout.rounded(.up) + 1
        configuration.timeoutIntervalForResource = timeout.rounded(.up) + 1
        configuration.httpShouldSetCookies = false
        configuration.urlCache = nil
        let delegate = CappedResponseDelegate(limit: request.bodyLimit, origin: url)
        let session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        return await withCheckedContinuation { continuation in
            delegate.start(continuation: continuation)
            let task = session.dataTask(with: urlRequest)
            task.resume()
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { delegate.timeOut(task) }
        }
    }
}

/// Collects a response up to a byte limit and decides redirects; URLSession calls it on its own queue.
final class CappedResponseDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let lock = NSLock()
    private let limit: Int
    private let origin: URL
    private var response: HTTPURLResponse?
    private var body: [UInt8] = []
    private var truncated = false
    private var refusedRedirect: String?
    private var timedOut = false
    private var continuation: CheckedContinuation<Result<HTTPResponseData, HTTPTransportError>, Never>?

    init(limit: Int, origin: URL) {
        self.limit = limit
        self.origin = origin
    }

    func start(continuation: CheckedContinuation<Result<HTTPResponseData, HTTPTransportError>, Never>) {
        lock.withLock { self.continuation = continuation }
    }

    /// The exact deadline passed: cancel the exchange and report a timeout (unless it already ended).
    func timeOut(_ task: URLSessionTask) {
        let pending = lock.withLock {
            if continuation != nil { timedOut = true }
            return continuation != nil
        }
        if pending { task.cancel() }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        lock.withLock { self.response = response as? HTTPURLResponse }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let cancel: Bool = lock.withLock {
            let room = limit - body.count
            if data.count > room {
                body.append(contentsOf: data.prefix(max(0, room)))
                truncated = true
                return true
            }
            body.append(contentsOf: data)
            return false
        }
        // Stop reading: the rest of an oversized body is not wanted.
        if cancel { dataTask.cancel() }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
        let target = request.url
        let sameOrigin = target?.scheme?.lowercased() == origin.scheme?.lowercased() && target?.host?.lowercased() == origin.host?.lowercased()
            && (target?.port ?? defaultPort(target)) == (origin.port ?? defaultPort(origin))
        if sameOrigin {
            completionHandler(request)
        } else {
            lock.withLock { refusedRedirect = target?.absoluteString ?? "?" }
            completionHandler(nil)
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let (result, continuation): (Result<HTTPResponseData, HTTPTransportError>, CheckedContinuation<Result<HTTPResponseData, HTTPTransportError>, Never>?) = lock.withLock {
            let current = self.continuation
            self.continuation = nil
            if timedOut { return (.failure(.timedOut(requestSent: true)), current) }
            if let redirect = refusedRedirect, let response, (300...399).contains(response.statusCode) {
                return (.failure(.redirectRefused(redirect)), current)
            }
            if let response, error == nil || truncated {
                var headers: [String: String] = [:]
                for (key, value) in response.allHeaderFields {
                    if let key = key as? String, let value = value as? String { headers[key.lowercased()] = value }
                }
                return (.success(HTTPResponseData(status: response.statusCode, headers: headers, body: body, bodyTruncated: truncated)), current)
            }
            return (.failure(Self.classify(error)), current)
        }
        continuation?.resume(returning: result)
    }

    private func defaultPort(_ url: URL?) -> Int? {
        switch url?.scheme?.lowercased() {
        case "http": 80
        case "https": 443
        default: nil
        }
    }

    static func classify(_ error: (any Error)?) -> HTTPTransportError {
        guard let error else { return .other("no response") }
        guard let urlError = error as? URLError else { return .other(String(describing: error)) }
        switch urlError.code {
        case .cannotConnectToHost, .cannotFindHost, .dnsLookupFailed, .notConnectedToInternet:
            return .connectionFailed(urlError.localizedDescription)
        case .timedOut:
            // URLSession does not say whether the request left; assume it did (the safe side).
            return .timedOut(requestSent: true)
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate, .serverCertificateNotYetValid,
             .serverCertificateHasUnknownRoot, .clientCertificateRejected, .clientCertificateRequired:
            return .tls(urlError.localizedDescription)
        default:
            // FoundationNetworking reports libcurl's TLS failures (handshake, certificate) as
            // URLError.unknown with OpenSSL's text; a handshake failure means nothing was sent.
            let text = urlError.localizedDescription
            if text.contains("SSL") || text.contains("TLS") || text.lowercased().contains("certificate") { return .tls(text) }
            return .other(text)
        }
    }
}
