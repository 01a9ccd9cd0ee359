import AuroraCore
import AuroraRemediation
import Foundation

/// Records requested sleeps instead of sleeping.
final class RecordingSleeper: Sleeper, @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [Double] = []

    func sleep(seconds: Double) async throws { lock.withLock { recorded.append(seconds) } }
    var sleeps: [Double] { lock.withLock { recorded } }
}

/// A monotonic clock that never moves.
struct FixedClock: MonotonicClock {
    func seconds() -> Double { 0 }
}

/// A transport that answers from a script and records what it was asked.
final class ScriptedTransport: HTTPTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var script: [Result<HTTPResponseData, HTTPTransportError>]
    private var recorded: [HTTPRequestData] = []

    init(_ script: [Result<HTTPResponseData, HTTPTransportError>]) { self.script = script }

    func send(_ request: HTTPRequestData) async -> Result<HTTPResponseData, HTTPTransportError> {
        lock.withLock {
            recorded.append(request)
            return script.isEmpty ? .success(HTTPResponseData(status: 599)) : script.removeFirst()
        }
    }

    var requests: [HTTPRequestData] { lock.withLock { recorded } }
}

/// A temporary directory removed at deinit.
final class TemporaryDirectory: @unchecked Sendable {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "aurora-remediation-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
