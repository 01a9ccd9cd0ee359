import Foundation

/// How one HTTP request and its result travel between `aurora` and its `aurora-http` helper: JSON
/// on the helper's standard input and output, never on its command line, so header secrets never
/// appear in `/proc/<pid>/cmdline`.
///
/// The helper exists because FoundationNetworking pulls libcurl and some thirty shared libraries
/// into a process: linking it into `aurora` itself tripled the start-up time of every command, while
/// only remediation and the AI hypothesis speak HTTP (git keeps its HTTP transport in a helper for
/// the same reason).
package enum HTTPWireFormat {
    struct Request: Codable {
        var method: String
        var url: String
        var headers: [[String]]
        var body: String?
        var timeout: Double
        var bodyLimit: Int
    }

    struct Response: Codable {
        var status: Int?
        var headers: [String: String]?
        var body: String?
        var bodyTruncated: Bool?
        var error: String?
        var detail: String?
        var requestSent: Bool?
    }

    package static func encode(_ request: HTTPRequestData) throws -> Data {
        try JSONEncoder().encode(Request(
            method: request.method, url: request.url, headers: request.headers.map { [$0.name, $0.value] },
            body: request.body.map { Data($0).base64EncodedString() }, timeout: request.timeout, bodyLimit: request.bodyLimit))
    }

    package static func decodeRequest(_ data: Data) throws -> HTTPRequestData {
        let wire = try JSONDecoder().decode(Request.self, from: data)
        return HTTPRequestData(
            method: wire.method, url: wire.url,
            headers: wire.headers.compactMap { $0.count == 2 ? HTTPHeaderField(name: $0[0], value: $0[1]) : nil },
            body: wire.body.flatMap { Data(base64Encoded: $0) }.map { [UInt8]($0) }, timeout: wire.timeout, bodyLimit: wire.bodyLimit)
    }

    package static func encode(_ result: Result<HTTPResponseData, HTTPTransportError>) throws -> Data {
        var wire = Response()
        switch result {
        case .success(let response):
            wire.status = response.status
            wire.headers = response.headers
            wire.body = Data(response.body).base64EncodedString()
            wire.bodyTruncated = response.bodyTruncated
        case .failure(let error):
            switch error {
            case .connectionFailed(let detail): wire.error = "connection"; wire.detail = detail
            case .timedOut(let sent): wire.error = "timeout"; wire.requestSent = sent
            case .tls(let detail): wire.error = "tls"; wire.detail = detail
            case .redirectRefused(let detail): wire.error = "redirect"; wire.detail = detail
            case .notSent(let detail): wire.error = "not_sent"; wire.detail = detail
            case .other(let detail): wire.error = "other"; wire.detail = detail
            }
        }
        return try JSONEncoder().encode(wire)
    }

    package static func decodeResult(_ data: Data) -> Result<HTTPResponseData, HTTPTransportError> {
        guard let wire = try? JSONDecoder().decode(Response.self, from: data) else {
            return .failure(.other("the HTTP helper gave an unreadable answer"))
        }
        if let status = wire.status {
            return .success(HTTPResponseData(status: status, headers: wire.headers ?? [:],
                                              body: wire.body.flatMap { Data(base64Encoded: $0) }.map { [UInt8]($0) } ?? [],
                                              bodyTruncated: wire.bodyTruncated ?? false))
        }
        let detail = wire.detail ?? ""
        switch wire.error {
        case "connection": return .failure(.connectionFailed(detail))
        case "timeout": return .failure(.timedOut(requestSent: wire.requestSent ?? true))
        case "tls": return .failure(.tls(detail))
        case "redirect": return .failure(.redirectRefused(detail))
        case "not_sent": return .failure(.notSent(detail))
        default: return .failure(.other(detail.isEmpty ? "HTTP helper failure" : detail))
        }
    }
}
