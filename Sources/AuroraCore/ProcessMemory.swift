import Foundation

/// This process's memory, as the kernel accounts it (Linux `/proc/self/status`).
///
/// `VmHWM` is the peak resident set of this program's own address space since it was exec'd. A
/// parent's `wait4` figure is not a substitute: with `posix_spawn`'s shared-address-space start, the
/// kernel folds the *parent's* peak into the child's `ru_maxrss` at exec, so a large parent makes a
/// small child look large.
package enum ProcessMemory {
    /// Peak resident bytes (`VmHWM`), or nil where the kernel does not say (not Linux).
    package static func peakResidentBytes() -> Int? { statusField("VmHWM") }

    /// Resident bytes now (`VmRSS`), or nil where the kernel does not say.
    package static func residentBytes() -> Int? { statusField("VmRSS") }

    /// A `kB` field of /proc/self/status in bytes.
    static func statusField(_ name: String) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix(name + ":") {
            guard let kilobytes = line.split(separator: " ").lazy.compactMap({ Int($0) }).first else { return nil }
            return kilobytes * 1024
        }
        return nil
    }
}
