import Foundation

/// An HTTP request as the hypothesis client builds it.
public struct HTTPRequestData: Sendable, Equatable {
    /// Where the request goes.
    public var url: URL
    /// The HTTP method (`POST`).
    public var method: String
    /// Header fields, in the order they are sent.
    public var headers: [(name: String, value: String)]
    /// The body bytes.
    public var body: Data

    /// Creates the value from its parts.
    public init(url: URL, method: String, headers: [(name: String, value: String)], body: Data) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
    }

    /// The value of a header (case-insensitive name).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Equal when URL, method, headers (in order) and body are.
    public static func == (lhs: HTTPRequestData, rhs: HTTPRequestData) -> Bool {
        lhs.url == rhs.url && lhs.method == rhs.method && lhs.body == rhs.body
            && lhs.headers.map(\.name) == rhs.headers.map(\.name) && lhs.headers.map(\.value) == rhs.headers.map(\.value)
    }
}

/// An HTTP response: status and body.
public struct HTTPResponseData: Sendable, Equatable {
    /// The HTTP status code.
    public var status: Int
    /// The body bytes.
    public var body: Data

    /// Creates the value from its parts.
    public init(status: Int, body: Data) {
        self.status = status
        self.body = body
    }
}

/// Sends one HTTP request. The live implementation (URLSession) lives outside the engine; tests use
/// a fake. It must give up after `timeout` seconds by throwing.
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequestData, timeout: Double) async throws -> HTTPResponseData
}
