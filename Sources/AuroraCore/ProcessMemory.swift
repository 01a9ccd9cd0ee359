import Foundation

/// This process's memory, as the kernel accounts it (Linux `/proc/self/status`).
///
/// `VmHWM` is the peak resident set of this program's own address space since it was exec'd. A
/// parent's `wait4` figure is not a substitute: with `posix_spawn`'s shared-address-space start, the
/// kernel folds the *parent's* peak into the child's `ru_maxrss` at exec, so a large parent makes a
/// small child look large.
package enum ProcessMemory {
    /// Peak resident bytes (`VmHWM`) of this process, or of `pid`; nil where the kernel does not say (not Linux).
    package static func peakResidentBytes(of pid: Int32? = nil) -> Int? { statusField("VmHWM", of: pid) }

    /// Resident bytes now (`VmRSS`) of this process, or of `pid`; nil where the kernel does not say.
    package static func residentBytes(of pid: Int32? = nil) -> Int? { statusField("VmRSS", of: pid) }

    /// A `kB` field of /proc/<pid>/status (`self` when nil) in bytes.
    static func statusField(_ name: String, of pid: Int32? = nil) -> Int? {
        let path = "/proc/\(pid.map(String.init) ?? "self")/status"
        guard let status = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix(name + ":") {
            guard let kilobytes = line.split(separator: " ").lazy.compactMap({ Int($0) }).first else { return nil }
            return kilobytes * 1024
        }
        return nil
    }
}
