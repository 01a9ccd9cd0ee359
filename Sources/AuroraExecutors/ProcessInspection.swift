#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// What crash recovery needs to know about processes recorded in the database.
package enum ProcessInspection {
    /// Whether process group `pgid` still has a member that is not a zombie (an executor child that
    /// outlived the aurora process that started it).
    package static func groupIsAlive(_ pgid: Int32) -> Bool {
        ProcessGroup.hasLiveMembers(pgid)
    }

    /// SIGTERM to the group, SIGKILL after `grace` seconds; for an operator's explicit cleanup.
    package static func terminateGroup(_ pgid: Int32, grace: Double) async {
        await ProcessGroup.terminate(pgid, grace: grace)
    }

    /// The start time of a process in clock ticks since boot (`/proc/<pid>/stat` field 22), or nil when
    /// it does not exist (or off Linux). Stored with a pid, it tells a live owner from a reused pid.
    package static func startTime(of pid: Int32) -> UInt64? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // Fields after the name start at field 3 (state); field 22 is index 19 here.
        guard fields.count > 19 else { return nil }
        return UInt64(fields[19])
    }

    /// Whether the process `pid` exists and has the recorded start time (so it is the same process).
    package static func isSameProcessAlive(pid: Int32, startTime: UInt64) -> Bool {
        guard let current = self.startTime(of: pid) else { return false }
        return current == startTime
    }
}
