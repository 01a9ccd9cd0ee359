import AuroraCore
import Foundation

/// One HTTP/1.1 request and its response over a fresh TCP connection (`Connection: close`), with
/// non-blocking I/O waited on by `poll` so that every step keeps to one deadline.
enum SocketExchange {
    static func send(method: String, target: PlainURL, headers: [HTTPHeaderField], body: [UInt8]?, bodyLimit: Int,
                     deadline: UInt64) -> Result<HTTPResponseData, HTTPTransportError> {
        let socket: Int32
        switch connect(target, deadline: deadline) {
        case .success(let connected): socket = connected
        case .failure(let error): return .failure(error)
        }
        defer { close(socket) }
        var head = "\(method) \(target.target) HTTP/1.1\r\nHost: \(target.hostHeader)\r\nConnection: close\r\n"
        for header in headers where !["host", "connection", "content-length"].contains(header.name.lowercased()) {
            // A header with a line break would let a value forge further headers.
            guard !(header.name + header.value).contains(where: { $0 == "\r" || $0 == "\n" }) else {
                return .failure(.notSent("header \(header.name) holds a line break"))
            }
            head += "\(header.name): \(header.value)\r\n"
        }
        if let body { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        var outgoing = Array(head.utf8)
        if let body { outgoing += body }
        if let error = write(outgoing, to: socket, deadline: deadline) { return .failure(error) }
        var reader = ResponseReader(bodyLimit: bodyLimit)
        var buffer = [UInt8](repeating: 0, count: 256 * 1024)
        while !reader.isComplete {
            guard wait(socket, for: Int16(POLLIN), deadline: deadline) else { return .failure(.timedOut(requestSent: true)) }
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK { continue }
                return .failure(.other("receiving: \(String(cString: strerror(errno)))"))
            }
            if count == 0 {
                reader.finish()
                break
            }
            buffer.withUnsafeBufferPointer { reader.feed(UnsafeBufferPointer(rebasing: $0[..<count])) }
        }
        return reader.response()
    }

    #if canImport(Glibc)
    static let closeOnExec = Int32(SOCK_CLOEXEC.rawValue)
    #else
    static let closeOnExec: Int32 = 0
    #endif

    /// A connected non-blocking socket to the first address of `target` that accepts.
    static func connect(_ target: PlainURL, deadline: UInt64) -> Result<Int32, HTTPTransportError> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(target.host, String(target.port), &hints, &list)
        guard status == 0, let first = list else {
            return .failure(.connectionFailed("cannot resolve \(target.host): \(String(cString: gai_strerror(status)))"))
        }
        defer { freeaddrinfo(first) }
        var reason = "no address"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let address = entry {
            entry = address.pointee.ai_next
            // Close-on-exec from the start: the watcher spawns remediation commands from other threads.
            let socket = Foundation.socket(address.pointee.ai_family, address.pointee.ai_socktype | closeOnExec, address.pointee.ai_protocol)
            guard socket >= 0 else { reason = String(cString: strerror(errno)); continue }
            _ = fcntl(socket, F_SETFL, fcntl(socket, F_GETFL) | O_NONBLOCK)
            if Foundation.connect(socket, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 { return .success(socket) }
            guard errno == EINPROGRESS else {
                reason = String(cString: strerror(errno))
                close(socket)
                continue
            }
            guard wait(socket, for: Int16(POLLOUT), deadline: deadline) else {
                close(socket)
                return .failure(.timedOut(requestSent: false))
            }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(socket, SOL_SOCKET, SO_ERROR, &error, &length)
            if error == 0 { return .success(socket) }
            reason = String(cString: strerror(error))
            close(socket)
        }
        return .failure(.connectionFailed("\(target.hostHeader): \(reason)"))
    }

    /// Writes all of `bytes`; nil when done. `MSG_NOSIGNAL`: a peer that closed must not raise SIGPIPE.
    static func write(_ bytes: [UInt8], to socket: Int32, deadline: UInt64) -> HTTPTransportError? {
        var sent = 0
        while sent < bytes.count {
            guard wait(socket, for: Int16(POLLOUT), deadline: deadline) else { return .timedOut(requestSent: sent > 0) }
            let count = bytes.withUnsafeBytes { raw in
                Foundation.send(socket, raw.baseAddress! + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
            }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK { continue }
                let reason = String(cString: strerror(errno))
                return sent == 0 ? .notSent(reason) : .other("sending: \(reason)")
            }
            sent += count
        }
        return nil
    }

    /// Waits until the socket is ready for `events`; false when the deadline passed first.
    static func wait(_ socket: Int32, for events: Int16, deadline: UInt64) -> Bool {
        while true {
            let now = DispatchTime.now().uptimeNanoseconds
            guard now < deadline else { return false }
            var descriptor = pollfd(fd: socket, events: events, revents: 0)
            let milliseconds = Int32(min(UInt64(Int32.max), (deadline - now + 999_999) / 1_000_000))
            let ready = poll(&descriptor, 1, milliseconds)
            if ready > 0 { return true }
            if ready < 0, errno != EINTR { return true }  // the read or write that follows reports the error
        }
    }
}
