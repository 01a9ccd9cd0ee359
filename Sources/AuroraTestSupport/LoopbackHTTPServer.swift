import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny blocking HTTP/1.1 server on 127.0.0.1 for executor and transport tests: each accepted
/// connection gets the next scripted behaviour; requests are recorded raw. NIO is not a dependency,
/// hence plain sockets.
// Unchecked: the script, the recorded requests and the open connections are behind `lock`; the
// listener and port never change after `init`.
package final class LoopbackHTTPServer: @unchecked Sendable {
    /// What the server does with one connection.
    package enum Behaviour: Sendable {
        /// Answers with a status, extra headers and a body, then closes.
        case respond(status: Int, headers: [String: String] = [:], body: String = "")
        /// Reads the request and never answers (until the server stops).
        case hang
    }

    private let lock = NSLock()
    private var script: [Behaviour]
    private var recorded: [String] = []
    private let listener: Int32
    private var connections: [Int32] = []
    /// The port it listens on.
    package let port: UInt16
    private var thread: Thread?

    /// Listens on a free port and serves `script`, one behaviour per connection (then HTTP 500).
    package init(_ script: [Behaviour]) throws {
        self.script = script
        let (fd, port) = try boundLoopbackSocket(reuseAddress: true)
        guard listen(fd, 16) == 0 else { close(fd); throw POSIXError(.EADDRINUSE) }
        listener = fd
        self.port = port
        let thread = Thread { [self] in serve() }
        self.thread = thread
        thread.start()
    }

    /// `http://127.0.0.1:PORT`.
    package var url: String { "http://127.0.0.1:\(port)" }

    /// Raw requests received, in order.
    package var requests: [String] { lock.withLock { recorded } }

    /// Stops listening and closes open connections.
    package func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        // Under the lock, so a descriptor closed (and reused elsewhere) meanwhile is never touched.
        lock.withLock { for connection in connections { shutdown(connection, Int32(SHUT_RDWR)) } }
    }

    private func serve() {
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 { return }
            let behaviour: Behaviour = lock.withLock {
                connections.append(connection)
                return script.isEmpty ? .respond(status: 500, body: "script exhausted") : script.removeFirst()
            }
            let request = readRequest(connection)
            if request.utf8.first == 0x16 {
                // A TLS ClientHello on this plain-HTTP port: answer in plain text, as real servers do,
                // which fails the client's handshake.
                let answer = Array("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".utf8)
                _ = answer.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                closeConnection(connection)
                continue
            }
            lock.withLock { recorded.append(request) }
            switch behaviour {
            case let .respond(status, headers, body):
                var text = "HTTP/1.1 \(status) Status\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n"
                for (name, value) in headers { text += "\(name): \(value)\r\n" }
                text += "\r\n" + body
                let bytes = Array(text.utf8)
                var sent = 0
                while sent < bytes.count {
                    let n = bytes[sent...].withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                    if n <= 0 { break }
                    sent += n
                }
                closeConnection(connection)
            case .hang:
                // Keep the connection open on a background thread until the peer or the server closes it.
                Thread.detachNewThread {
                    var byte: UInt8 = 0
                    while recv(connection, &byte, 1, 0) > 0 {}
                    self.closeConnection(connection)
                }
            }
        }
    }

    private func closeConnection(_ connection: Int32) {
        lock.withLock {
            connections.removeAll { $0 == connection }
            close(connection)
        }
    }

    private func readRequest(_ connection: Int32) -> String {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            data += buffer[0..<n]
            if data.first == 0x16 { break }
            if let end = findHeaderEnd(data) {
                let head = String(decoding: data[0..<end], as: UTF8.self)
                let length = head.split(separator: "\r\n").compactMap { line -> Int? in
                    let parts = line.split(separator: ":", maxSplits: 1)
                    guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
                    return Int(parts[1].trimmingCharacters(in: .whitespaces))
                }.first ?? 0
                if data.count >= end + 4 + length { break }
            }
        }
        return String(decoding: data, as: UTF8.self)
    }

    private func findHeaderEnd(_ data: [UInt8]) -> Int? {
        guard data.count >= 4 else { return nil }
        for i in 0...(data.count - 4) where data[i] == 13 && data[i + 1] == 10 && data[i + 2] == 13 && data[i + 3] == 10 { return i }
        return nil
    }
}

/// A port on 127.0.0.1 where nothing listens, held for as long as a test needs it refused: the socket
/// stays bound but never listens, so every connection to it is refused, and the kernel cannot give the
/// port to another test's server meanwhile. (A port bound and closed again could be given out at once;
/// in a parallel run another test's scripted server then answered this test's connection, and that
/// test ran out of replies: the rare "script exhausted" failures.) Close it in a `defer`.
package final class RefusingPort: Sendable {
    /// The refused port.
    package let port: UInt16
    private let descriptor: Int32

    package init() throws {
        (descriptor, port) = try boundLoopbackSocket(reuseAddress: false)
    }

    /// `http://127.0.0.1:PORT`.
    package var url: String { "http://127.0.0.1:\(port)" }

    /// Gives the port back.
    package func close() { _ = Glibc.close(descriptor) }
}

/// A TCP socket bound to a port of 127.0.0.1 the kernel picks, and that port; the caller listens on it
/// or not, and closes it.
private func boundLoopbackSocket(reuseAddress: Bool) throws -> (descriptor: Int32, port: UInt16) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw POSIXError(.EIO) }
    if reuseAddress {
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
    }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let named = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    guard bound == 0, named == 0 else { close(fd); throw POSIXError(.EADDRINUSE) }
    return (fd, UInt16(bigEndian: address.sin_port))
}
