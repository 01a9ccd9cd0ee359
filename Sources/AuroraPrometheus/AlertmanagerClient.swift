import AuroraCore
import Foundation

/// Alertmanager's API v2: post alerts, list them, and ask its status (`config check --online`).
/// One attempt per call: the caller decides when to try again (the publisher does, every pass).
package struct AlertmanagerClient: Sendable {
    /// Base URL without a trailing slash and without `/api/v2`.
    package let baseURL: String
    /// Headers sent with every request (secrets resolved).
    package let headers: [HTTPHeaderField]
    /// Seconds a request may take: short, because the watch loop never waits long for Alertmanager.
    package let timeout: Double
    package let transport: any HTTPTransport

    /// Creates a client.
    package init(baseURL: String, headers: [HTTPHeaderField] = [], timeout: Double = 5, transport: any HTTPTransport) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.headers = headers
        self.timeout = timeout
        self.transport = transport
    }

    /// `POST /api/v2/alerts`.
    package func post(_ alerts: [Alert]) async throws(AlertmanagerError) {
        let body: Data
        do { body = try JSONEncoder().encode(alerts) } catch { throw AlertmanagerError("cannot encode alerts: \(error)", retryable: false) }
        let response = try await exchange(HTTPRequestData(
            method: "POST", url: baseURL + "/api/v2/alerts",
            headers: headers + [HTTPHeaderField(name: "Content-Type", value: "application/json")],
            body: [UInt8](body), timeout: timeout))
        guard (200..<300).contains(response.status) else { throw Self.refusal(response) }
    }

    /// `GET /api/v2/alerts`: the alerts Alertmanager holds that have not ended.
    package func alerts() async throws(AlertmanagerError) -> [Alert] {
        let response = try await exchange(HTTPRequestData(method: "GET", url: baseURL + "/api/v2/alerts", headers: headers,
                                                          timeout: timeout, bodyLimit: 64 << 20))
        guard (200..<300).contains(response.status) else { throw Self.refusal(response) }
        do {
            return try JSONDecoder().decode([Alert].self, from: Data(response.body))
        } catch {
            throw AlertmanagerError("unreadable alert list: \(PrometheusClient.firstLine(response.body))", retryable: false)
        }
    }

    /// `GET /api/v2/status`: Alertmanager's version, for `config check --online`.
    package func version() async throws(AlertmanagerError) -> String {
        let response = try await exchange(HTTPRequestData(method: "GET", url: baseURL + "/api/v2/status", headers: headers, timeout: timeout))
        guard (200..<300).contains(response.status) else { throw Self.refusal(response) }
        struct Status: Decodable {
            struct Info: Decodable { var version: String? }
            var versionInfo: Info?
        }
        return (try? JSONDecoder().decode(Status.self, from: Data(response.body)))?.versionInfo?.version ?? "unknown version"
    }

    private func exchange(_ request: HTTPRequestData) async throws(AlertmanagerError) -> HTTPResponseData {
        switch await transport.send(request) {
        case .success(let response): return response
        case .failure(let error):
            switch error {
            case .notSent, .tls, .redirectRefused: throw AlertmanagerError(error.description, retryable: false)
            case .connectionFailed, .timedOut, .other: throw AlertmanagerError(error.description, retryable: true)
            }
        }
    }

    static func refusal(_ response: HTTPResponseData) -> AlertmanagerError {
        let line = PrometheusClient.firstLine(response.body)
        return AlertmanagerError("HTTP \(response.status)\(line.isEmpty ? "" : ": \(line)")",
                                 retryable: response.status == 429 || response.status >= 500)
    }
}
