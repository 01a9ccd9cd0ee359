import AuroraCore
import Foundation

/// Wall time of a block, in seconds, from a monotonic clock.
func measureSeconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// Async variant of `measureSeconds`.
func measureSecondsAsync(_ body: () async throws -> Void) async rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try await body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// Peak resident memory of this process so far, in MiB (from getrusage; Linux reports KiB).
func peakMemoryMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

/// The median of a list of numbers.
func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return .nan }
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/// Formats a rate with an SI suffix: `12.3M/s`.
func rate(_ perSecond: Double) -> String {
    switch perSecond {
    case 1e9...: return String(format: "%.2fG/s", perSecond / 1e9)
    case 1e6...: return String(format: "%.2fM/s", perSecond / 1e6)
    case 1e3...: return String(format: "%.1fk/s", perSecond / 1e3)
    default: return String(format: "%.1f/s", perSecond)
    }
}

/// Prints one result row, aligned.
func report(_ name: String, _ value: String, target: String? = nil) {
    // Padded to a column, never cut: a long name pushes its value right rather than losing its end.
    let padded = name.count >= 48 ? name : name.padding(toLength: 48, withPad: " ", startingAt: 0)
    if let target { print("  \(padded) \(value)   (target \(target))") } else { print("  \(padded) \(value)") }
}

/// Child processes the bench measures.
enum BenchProcess {
    /// Starts the command with standard output discarded and standard error to `standardError`
    /// (posix_spawn: no Foundation overhead in what is measured).
    static func spawn(_ path: String, _ arguments: [String], standardError: String = "/dev/null") throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, standardError, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, path, &actions, nil, argv, environ)
        guard status == 0 else { throw SimpleFailure(.unavailable, "cannot start \(path): \(String(cString: strerror(status)))") }
        return pid
    }
}
