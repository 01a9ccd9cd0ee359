import AuroraTestSupport
import Foundation
import Testing

/// `openssl s_server` with a throwaway self-signed certificate on a free loopback port.
///
/// Started with Foundation.Process from this target (whose processes never leave grandchildren
/// holding pipes), output to files, and always stopped by `stop()`.
final class SelfSignedTLSServer {
    static let openssl: String? = ["/usr/bin/openssl", "/usr/local/bin/openssl", "/bin/openssl"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    let process = Process()
    let port: UInt16

    init(folder: TemporaryDirectory) throws {
        guard let openssl = Self.openssl else { throw ServerError("openssl is not installed") }
        let key = folder.file("tls-key.pem"), certificate = folder.file("tls-cert.pem")
        let generate = Process()
        generate.executableURL = URL(fileURLWithPath: openssl)
        generate.arguments = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-days", "1",
                              "-keyout", key, "-out", certificate]
        generate.standardOutput = FileHandle.nullDevice
        generate.standardError = FileHandle.nullDevice
        try generate.run()
        generate.waitUntilExit()
        guard generate.terminationStatus == 0 else { throw ServerError("openssl req failed (\(generate.terminationStatus))") }

        // A port the kernel just handed out and released; s_server binds it a moment later.
        port = try Self.freePort()
        let log = folder.file("s_server.log")
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        process.executableURL = URL(fileURLWithPath: openssl)
        process.arguments = ["s_server", "-accept", "127.0.0.1:\(port)", "-cert", certificate, "-key", key, "-www", "-quiet"]
        process.standardOutput = FileHandle(forWritingAtPath: log)
        process.standardError = FileHandle(forWritingAtPath: log)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Ready when it accepts (bounded: 10 s).
        for _ in 0..<400 {
            if Self.accepts(port) { return }
            if !process.isRunning { break }
            usleep(25_000)
        }
        stop()
        throw ServerError("openssl s_server did not accept on port \(port): " + ((try? String(contentsOfFile: log, encoding: .utf8)) ?? ""))
    }

    /// Starts a server, trying again (a new port) when another process took the free port first.
    static func start(folder: TemporaryDirectory) throws -> SelfSignedTLSServer {
        var failure: any Error = ServerError("not started")
        for _ in 0..<3 {
            do { return try SelfSignedTLSServer(folder: folder) } catch { failure = error }
        }
        throw failure
    }

    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    struct ServerError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    static func loopback(_ port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }

    static func freePort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServerError("socket: errno \(errno)") }
        defer { close(fd) }
        var address = loopback(0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw ServerError("bind: errno \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw ServerError("getsockname: errno \(errno)") }
        return UInt16(bigEndian: address.sin_port)
    }

    static func accepts(_ port: UInt16) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = loopback(port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }
}

/// Issue 9 case 26 (first clause), end to end: an HTTP action against a real TLS server whose
/// certificate nobody trusts fails as a TLS error: not retried, not "unknown", never a success, audited.
@Suite(.enabled(if: SelfSignedTLSServer.openssl != nil, "openssl is not installed (apt-get install openssl)"))
struct UntrustedTLSTests {
    @Test func anUntrustedCertificateFailsTheActionAsATLSError() throws {
        let folder = try TemporaryDirectory("aurora-tls")
        defer { folder.remove() }
        let server = try SelfSignedTLSServer.start(folder: folder)
        defer { server.stop() }
        let secret = "tls-test-s3cret"
        let configuration = folder.file("aurora.yaml")
        try Data("""
            aurora:
              remediation:
                actions:
                  scale:
                    type: scale-up
                    http:
                      url: 'https://localhost:\(server.port)/scale/{service}'
                      headers: {Authorization: 'Bearer ${TLS_TOKEN}'}
                      retries: 2

            """.utf8).write(to: URL(fileURLWithPath: configuration))
        let database = folder.file("aurora.db")
        let result = try AuroraProcess.run(["--db", database, "--config", configuration, "remediate", "scale", "--service", "web", "--json"],
                                           in: folder, label: "tls", environment: ["TLS_TOKEN": secret])
        #expect(result.status == 69, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["state"] as? String == "failed")
        let execution = try #require(object["execution"] as? [String: Any])
        #expect(execution["outcome"] as? String == "failed")
        let reason = try #require(execution["reason"] as? String)
        #expect(reason.hasPrefix("TLS failure"), "\(reason)")
        #expect(reason.lowercased().contains("certificate"), "\(reason)")
        // A TLS failure is not retried (the handshake failed: nothing was sent) and no HTTP status came back.
        #expect(execution["attempts"] as? Int == 1)
        #expect(execution["http_status"] is NSNull)
        #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret))

        let audit = try AuroraProcess.run(["--db", database, "audit", "--json"], in: folder, label: "audit")
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(audit.stdout.utf8)) as? [[String: Any]])
        let finish = entries.filter { $0["action"] as? String == "remediation.finish" }
        #expect(finish.count == 1)
        #expect(finish.first?["outcome"] as? String == "failed")
        #expect((finish.first?["detail"] as? String)?.contains("TLS failure") == true)
        #expect(!entries.contains { $0["outcome"] as? String == "succeeded" })
        #expect(try DatabaseContent.scalar(database, "SELECT count(*) FROM remediations WHERE state = 'succeeded'") == 0)
    }
}
