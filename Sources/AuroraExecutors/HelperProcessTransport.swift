import AuroraCore
import AuroraRemediation
import Foundation
import Subprocess
#if canImport(System)
import System
#else
import SystemPackage
#endif

/// Sends HTTP requests through the `aurora-http` helper (see `HTTPWireFormat` for why): the request
/// goes to its standard input, the result comes back on its standard output.
package struct HelperProcessTransport: HTTPTransport {
    /// The helper executable: `$AURORA_HTTP_HELPER`, else `aurora-http` beside the running program.
    package let helperPath: String

    /// The running program's own file. `/proc/self/exe` is absolute and right however the program
    /// was started (found through PATH, a relative path, a symlink, or with an argv the runtime lost
    /// under libfaketime); `argv[0]` is only the fallback where there is no /proc.
    static func runningProgram() -> URL {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"), path.hasPrefix("/") {
            return URL(fileURLWithPath: path)
        }
        return URL(fileURLWithPath: CommandLine.arguments.first ?? "aurora").resolvingSymlinksInPath()
    }

    /// The variables the helper is given from aurora's environment, and no others: the proxy and the
    /// certificate authorities that URLSession (libcurl) reads for `https://`, and the basics a process
    /// expects. Request headers and their
    /// secrets travel in the request itself, so nothing else of aurora's environment — API keys, tokens
    /// for scripts — ever reaches the helper.
    package static let passedVariables: Set<String> = [
        "http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY",
        "SSL_CERT_FILE", "SSL_CERT_DIR", "CURL_CA_BUNDLE", "URLSessionCertificateAuthorityInfoFile",
        "PATH", "HOME", "TMPDIR", "LANG", "LC_ALL", "TZ",
    ]

    /// The helper's environment: the `passedVariables` that `environment` holds.
    package static func helperEnvironment(from environment: [String: String]) -> [String: String] {
        environment.filter { passedVariables.contains($0.key) }
    }

    package init(helperPath: String? = nil) {
        if let helperPath {
            self.helperPath = helperPath
        } else if let configured = ProcessInfo.processInfo.environment["AURORA_HTTP_HELPER"], !configured.isEmpty {
            self.helperPath = configured
        } else {
            self.helperPath = Self.runningProgram().deletingLastPathComponent().appendingPathComponent("aurora-http").path
        }
    }

    package func send(_ request: HTTPRequestData) async -> Result<HTTPResponseData, HTTPTransportError> {
        await send(request, onProcessStart: { _ in })
    }

    /// Sends through a helper started in a session and process group of its own (so a signal to aurora
    /// does not reach it by itself, and stopping its group stops it), reported through `onProcessStart`.
    package func send(_ request: HTTPRequestData, onProcessStart: @escaping @Sendable (ProcessStart) -> Void) async
        -> Result<HTTPResponseData, HTTPTransportError>
    {
        guard FileManager.default.isExecutableFile(atPath: helperPath) else {
            return .failure(.notSent("the HTTP helper \(helperPath) is missing (install aurora-http beside aurora, or set AURORA_HTTP_HELPER)"))
        }
        let payload: Data
        do { payload = try HTTPWireFormat.encode(request) } catch { return .failure(.notSent("cannot encode the request: \(error)")) }
        var options = PlatformOptions()
        options.createSession = true
        // Used by swift-subprocess when the task is cancelled (the outer bound below): stop the group.
        options.teardownSequence = [.send(signal: .terminate, toProcessGroup: true, allowedDurationToNextStep: .seconds(5))]
        var environment: [Environment.Key: String] = [:]
        for (name, value) in Self.helperEnvironment(from: ProcessInfo.processInfo.environment) {
            if let key = Environment.Key(rawValue: name) { environment[key] = value }
        }
        let configuration = Configuration(executable: .path(FilePath(helperPath)), arguments: [], environment: .custom(environment),
                                          platformOptions: options)
        let outputLimit = request.bodyLimit * 2 + 1 << 20
        do {
            // The helper enforces the request's own timeout; this outer bound only guards against a
            // helper that hangs for another reason.
            let outcome = try await withThrowingTaskGroup(of: Data?.self) { group -> Data? in
                group.addTask {
                    let result = try await Subprocess.run(configuration, input: .array([UInt8](payload)),
                                                          output: .bytes(limit: outputLimit), error: .discarded) { execution in
                        let pid = execution.processIdentifier.value
                        onProcessStart(ProcessStart(pid: pid, processGroup: pid))
                    }
                    return Data(result.standardOutput)
                }
                group.addTask {
                    try await Task.sleep(nanoseconds: UInt64((min(request.timeout, 86_400) + 30) * 1e9))
                    return nil
                }
                let first = try await group.next() ?? nil
                group.cancelAll()
                return first
            }
            guard let data = outcome else { return .failure(.timedOut(requestSent: true)) }
            return HTTPWireFormat.decodeResult(data)
        } catch {
            return .failure(.other("the HTTP helper failed: \(error)"))
        }
    }
}
