import AuroraCore
import Foundation

/// The process's own argv, robust to a runtime that lost it.
///
/// Under `LD_PRELOAD=libfaketime.so.1` (how operators and the test suite step the wall clock) Swift's
/// Linux runtime hands the program an EMPTY `CommandLine.arguments`: libfaketime's constructor edits
/// the environment before the runtime locates argv, so aurora would silently print its root help
/// instead of running the command. The kernel's copy in `/proc/self/cmdline` is unaffected.
package enum ProcessArguments {
    /// `CommandLine.arguments` (program name first), or `/proc/self/cmdline` when the runtime's copy
    /// is empty (a real argv always holds at least the program name).
    package static func current() -> [String] {
        let arguments = CommandLine.arguments
        guard arguments.isEmpty else { return arguments }
        guard let bytes = FileManager.default.contents(atPath: "/proc/self/cmdline") else { return [] }
        return parse(cmdline: Array(bytes))
    }

    /// Splits `/proc/PID/cmdline` bytes: each argument ends with a NUL. An empty argument ("") is
    /// kept; a missing final NUL (a truncated read) still yields the last argument.
    package static func parse(cmdline bytes: [UInt8]) -> [String] {
        var arguments: [String] = []
        var start = 0
        for index in bytes.indices where bytes[index] == 0 {
            arguments.append(String(decoding: bytes[start..<index], as: UTF8.self))
            start = index + 1
        }
        if start < bytes.count {
            arguments.append(String(decoding: bytes[start...], as: UTF8.self))
        }
        return arguments
    }
}
