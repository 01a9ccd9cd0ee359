#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Signals and inspects a whole process group: the unit aurora stops on timeout, so that children
/// a script left in the background die with it.
enum ProcessGroup {
    /// Sends `signal` to every process of group `pgid` (ignores "no such process").
    static func signal(_ pgid: Int32, _ signal: Int32) {
        guard pgid > 1 else { return }
        _ = kill(-pgid, signal)
    }

    /// Whether the group still has a member that is not a zombie.
    ///
    /// `kill(-pgid, 0)` alone also counts zombies (exited, not yet reaped — common in containers whose
    /// init does not reap), so on Linux the members' states are read from `/proc`.
    static func hasLiveMembers(_ pgid: Int32) -> Bool {
        guard pgid > 1 else { return false }
        if kill(-pgid, 0) != 0 { return false }
        #if os(Linux)
        return !liveMembers(pgid).isEmpty
        #else
        return true
        #endif
    }

    /// Pids of the group's non-zombie members (Linux `/proc`).
    static func liveMembers(_ pgid: Int32) -> [Int32] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        var members: [Int32] = []
        for entry in entries {
            guard let pid = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8) else { continue }
            // Fields after the command name, which is in parentheses and may contain spaces.
            guard let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 3, let group = Int32(fields[2]) else { continue }
            if group == pgid && fields[0] != "Z" && fields[0] != "X" { members.append(pid) }
        }
        return members
    }

    /// SIGTERM to the group, up to `grace` seconds for it to empty, then SIGKILL.
    /// Returns when the group is gone (or one more second after SIGKILL at most).
    static func terminate(_ pgid: Int32, grace: Double) async {
        signal(pgid, SIGTERM)
        // A stopped process cannot act on SIGTERM until it is continued.
        signal(pgid, SIGCONT)
        let clock = SystemMonotonicClock()
        let deadline = clock.seconds() + max(0, grace)
        while clock.seconds() < deadline && hasLiveMembers(pgid) {
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
        guard hasLiveMembers(pgid) else { return }
        signal(pgid, SIGKILL)
        let killDeadline = clock.seconds() + 1
        while clock.seconds() < killDeadline && hasLiveMembers(pgid) {
            try? await Task.sleep(nanoseconds: 10_000_000)
        }
    }
}
