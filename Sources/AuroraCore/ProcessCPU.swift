import Foundation

/// CPU time this process has used so far (user + system, every thread), from getrusage: the watcher
/// reports the difference around each pass and the bench around each measured run, the figure a CPU
/// budget is checked against (wall time hides a loaded machine; CPU does not).
package enum ProcessCPU {
    package static func seconds() -> Double {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
