import AuroraCore
import Foundation

/// An HTTP transport for tests: answers from a script of replies, then from `answer`, and records
/// every request it was asked to send.
package final class FakeHTTPTransport: HTTPTransport, @unchecked Sendable {
    // Unchecked: all mutable state is behind `lock`, and `answer` is only called under it.
    private let lock = NSLock()
    private var replies: [Result<HTTPResponseData, HTTPTransportError>]
    private let answer: (HTTPRequestData) -> Result<HTTPResponseData, HTTPTransportError>
    private var sent: [HTTPRequestData] = []

    /// `replies` in order, then `answer` (by default a refused connection: nothing scripted).
    package init(_ replies: [Result<HTTPResponseData, HTTPTransportError>] = [],
                answer: @escaping (HTTPRequestData) -> Result<HTTPResponseData, HTTPTransportError> = { _ in
                    .failure(.connectionFailed("no reply scripted"))
                }) {
        self.replies = replies
        self.answer = answer
    }

    package func send(_ request: HTTPRequestData) async -> Result<HTTPResponseData, HTTPTransportError> {
        lock.withLock {
            sent.append(request)
            return replies.isEmpty ? answer(request) : replies.removeFirst()
        }
    }

    /// The requests sent so far, in order.
    package var requests: [HTTPRequestData] { lock.withLock { sent } }
}
