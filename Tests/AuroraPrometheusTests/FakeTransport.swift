import AuroraCore
import AuroraPrometheus
import AuroraRemediation
import Foundation

/// A transport that answers from a script and records what it was asked.
final class FakeTransport: HTTPTransport, @unchecked Sendable {
    // Unchecked: all state is behind `lock`.
    private let lock = NSLock()
    private var replies: [Result<HTTPResponseData, HTTPTransportError>]
    private var answerFor: ((HTTPRequestData) -> Result<HTTPResponseData, HTTPTransportError>)?
    private(set) var sent: [HTTPRequestData] = []

    init(_ replies: [Result<HTTPResponseData, HTTPTransportError>] = [],
         answer: ((HTTPRequestData) -> Result<HTTPResponseData, HTTPTransportError>)? = nil) {
        self.replies = replies
        self.answerFor = answer
    }

    func send(_ request: HTTPRequestData) async -> Result<HTTPResponseData, HTTPTransportError> {
        lock.withLock {
            sent.append(request)
            if !replies.isEmpty { return replies.removeFirst() }
            return answerFor?(request) ?? .failure(.connectionFailed("no reply scripted"))
        }
    }

    var requests: [HTTPRequestData] { lock.withLock { sent } }

    /// The form fields of a request's body.
    static func form(_ request: HTTPRequestData) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in String(decoding: request.body ?? [], as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            fields[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return fields
    }
}

/// Records the waits instead of waiting.
final class RecordingSleeper: Sleeper, @unchecked Sendable {
    private let lock = NSLock()
    private var waits: [Double] = []
    func sleep(seconds: Double) async throws { lock.withLock { waits.append(seconds) } }
    var delays: [Double] { lock.withLock { waits } }
}

func json(_ status: Int, _ body: String, headers: [String: String] = [:]) -> Result<HTTPResponseData, HTTPTransportError> {
    .success(HTTPResponseData(status: status, headers: headers, body: Array(body.utf8)))
}

/// A `query_range` success body for one series.
func matrix(_ labels: String, _ samples: [(Double, String)], warnings: [String]? = nil) -> String {
    let values = samples.map { "[\($0.0),\"\($0.1)\"]" }.joined(separator: ",")
    let warningText = warnings.map { ",\"warnings\":[" + $0.map { "\"\($0)\"" }.joined(separator: ",") + "]" } ?? ""
    return #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{\#(labels)},"values":[\#(values)]}]}\#(warningText)}"#
}
