import AuroraCore
import AuroraExecutors
import AuroraTestSupport
import Foundation
import Testing

@Suite struct HelperProcessTransportTests {
    @Test func aMissingHelperIsReportedNotCrashed() async {
        let transport = HelperProcessTransport(helperPath: "/nonexistent/aurora-http")
        let result = await transport.send(HTTPRequestData(method: "GET", url: "http://127.0.0.1:9/", timeout: 1))
        guard case .failure(.notSent(let message)) = result else { Issue.record("expected a not-sent failure"); return }
        #expect(message.contains("/nonexistent/aurora-http is missing"))
    }

    @Test func onlyTheProxyCertificateAndBasicVariablesArePassed() {
        let passed = HelperProcessTransport.helperEnvironment(from: [
            "HTTPS_PROXY": "http://proxy:3128", "no_proxy": "localhost", "SSL_CERT_FILE": "/etc/ca.pem", "PATH": "/usr/bin",
            "AURORA_LLM_KEY": "sk-secret", "PROM_TOKEN": "tok", "AWS_SECRET_ACCESS_KEY": "x", "LD_PRELOAD": "/tmp/evil.so",
        ])
        #expect(passed == ["HTTPS_PROXY": "http://proxy:3128", "no_proxy": "localhost", "SSL_CERT_FILE": "/etc/ca.pem", "PATH": "/usr/bin"])
    }

    /// The real helper process: a stand-in that writes down its environment.
    @Test func anUnrelatedSecretInAurorasEnvironmentDoesNotReachTheHelper() async throws {
        let folder = try TemporaryDirectory("aurora-helper-env")
        defer { folder.remove() }
        let name = "AURORA_TEST_SECRET_\(UUID().uuidString.replacingOccurrences(of: "-", with: "_"))"
        setenv(name, "do-not-pass", 1)
        defer { unsetenv(name) }
        try folder.write("helper.sh", "#!/bin/sh\nenv > '\(folder.file("env.txt"))'\n")
        #expect(chmod(folder.file("helper.sh"), 0o755) == 0)
        _ = await HelperProcessTransport(helperPath: folder.file("helper.sh"))
            .send(HTTPRequestData(method: "GET", url: "http://127.0.0.1:9/", timeout: 1))
        let seen = try String(contentsOfFile: folder.file("env.txt"), encoding: .utf8)
        #expect(!seen.contains(name) && !seen.contains("do-not-pass"))
        if let path = ProcessInfo.processInfo.environment["PATH"] { #expect(seen.contains("PATH=\(path)")) }
    }
}
