import AuroraCore
import Foundation

/// The scale passes of one long-running `aurora watch`: what a watcher pays per pass once started (no
/// process start, no configuration load, warm caches), read from its own metrics: each pass writes
/// `aurora_watch_last_pass_cpu_seconds` (getrusage of the watcher around the pass) to its textfile.
/// The resident memory is the watcher's `VmRSS`, sampled at each measured pass.
enum LongRunningWatch {
    struct Figures {
        var cpu: [Double] = []
        var wall: [Double] = []
        var residentMiB: [Double] = []
        var peakMiB = 0.0
    }

    /// Starts `aurora watch` with `arguments` (its log to `logPath`), skips `warmUp` passes, measures the
    /// next `passes`, then stops it with SIGTERM.
    static func measure(aurora: String, arguments: [String], textfile: String, logPath: String, warmUp: Int, passes: Int,
                        timeout: Double) async throws -> Figures {
        let pid = try BenchProcess.spawn(aurora, arguments + ["watch", "--metrics-textfile", textfile, "--log-format", "json"],
                                         standardError: logPath)
        defer {
            kill(pid, SIGTERM)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        var figures = Figures()
        var seen = 0
        let deadline = Date().addingTimeInterval(timeout)
        while figures.cpu.count < passes {
            guard Date() < deadline else { throw SimpleFailure(.unavailable, "aurora watch made \(seen) pass(es) in \(Int(timeout)) s; see \(logPath)") }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid { throw SimpleFailure(.software, "aurora watch exited (status \(status)); see \(logPath)") }
            try await Task.sleep(nanoseconds: 100_000_000)
            guard let text = try? String(contentsOfFile: textfile, encoding: .utf8),
                  let count = sample("aurora_watch_passes_total", in: text), Int(count) > seen else { continue }
            // A pass every 5 s and a poll every 0.1 s: each new count is one new pass.
            seen = Int(count)
            guard seen > warmUp, let cpu = sample("aurora_watch_last_pass_cpu_seconds", in: text),
                  let wall = sample("aurora_watch_last_pass_duration_seconds", in: text) else { continue }
            figures.cpu.append(cpu)
            figures.wall.append(wall)
            figures.residentMiB.append(mebibytes(ProcessMemory.residentBytes(of: pid)))
            figures.peakMiB = max(figures.peakMiB, mebibytes(ProcessMemory.peakResidentBytes(of: pid)))
        }
        return figures
    }

    /// The value of an unlabelled sample in exposition text.
    static func sample(_ name: String, in text: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ")[1]) }
    }

    private static func mebibytes(_ bytes: Int?) -> Double { bytes.map { Double($0) / 1_048_576 } ?? .nan }

    /// The 1-, 5- and 15-minute load averages, as /proc/loadavg prints them.
    static func loadAverage() -> String {
        ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "").split(separator: " ").prefix(3).joined(separator: " ")
    }
}
