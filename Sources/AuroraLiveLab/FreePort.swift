import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A loopback port nobody listens on now: the kernel picks one for a socket bound to port 0, and
/// the socket is closed again. Another process could take it in between; on a test machine the
/// window is small and a server that fails to bind is reported plainly.
package enum FreePort {
    /// A free TCP port on 127.0.0.1.
    package static func next() throws -> UInt16 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw LabError("socket(): errno \(errno)") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw LabError("bind(): errno \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else { throw LabError("getsockname(): errno \(errno)") }
        return UInt16(bigEndian: address.sin_port)
    }
}

/// A lab set-up problem, with its reason.
package struct LabError: Error, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
}
