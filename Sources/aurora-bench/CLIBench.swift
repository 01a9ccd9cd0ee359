import AuroraCore
import AuroraStore
import Foundation

/// Start-up time of the CLI and raw write-transaction rate of the store.
enum CLIBench {
    static func run(_ options: BenchOptions) async throws {
        let database = options.workDirectory.appendingPathComponent("cli.db").path
        let store = try Store(path: database)

        // Single-row write transactions: each one BEGIN IMMEDIATE … COMMIT with synchronous=FULL.
        let writes = options.quick ? 200 : 2_000
        let now = Date()
        let seconds = try measureSeconds {
            for index in 0..<writes {
                try store.database.write { db in
                    try AuditLog.append(AuditEntry(at: now, actor: "bench", action: "write", subject: "s\(index)"), to: db)
                }
            }
        }
        report("single-row write transactions", rate(Double(writes) / seconds))

        guard let binary = auroraBinary() else {
            report("start-up: aurora db status", "skipped: build the aurora executable first (swift build -c release)")
            return
        }
        let runs = options.quick ? 10 : 50
        var samples: [Double] = []
        for _ in 0..<runs {
            samples.append(try spawnAndWait(binary, ["--db", database, "db", "status"]))
        }
        report("start-up: aurora db status (median of \(runs))", String(format: "%.2f ms", median(samples) * 1000), target: "< 15 ms")
        samples = []
        for _ in 0..<runs {
            samples.append(try spawnAndWait(binary, ["--db", database, "killswitch", "check", "--service", "checkout"]))
        }
        report("start-up: aurora killswitch check (median)", String(format: "%.2f ms", median(samples) * 1000), target: "< 15 ms")
    }

    /// The `aurora` executable built beside this benchmark.
    static func auroraBinary() -> String? {
        let folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidate = folder.appendingPathComponent("aurora").path
        return FileManager.default.isExecutableFile(atPath: candidate) ? candidate : nil
    }

    /// Wall time of one run of a child process, output discarded (posix_spawn: no Foundation overhead).
    static func spawnAndWait(_ path: String, _ arguments: [String]) throws -> Double {
        try spawnMeasured(path, arguments).seconds
    }

    /// Runs the command with output to /dev/null; wall seconds and the child's peak resident memory.
    /// The peak is `max(child, this bench process at spawn)`: posix_spawn starts the child in this
    /// process's address space and the kernel folds that peak into the child's at exec, so it is exact
    /// only while the bench itself stays smaller than the command (it does: it streams its inputs).
    /// `succeeded`: the command exited with status 0.
    static func spawnMeasured(_ path: String, _ arguments: [String]) throws -> (seconds: Double, peakMiB: Double, succeeded: Bool) {
        let start = DispatchTime.now().uptimeNanoseconds
        let pid = try BenchProcess.spawn(path, arguments)
        var exitStatus: Int32 = 0
        var usage = rusage()
        wait4(pid, &exitStatus, 0, &usage)
        // A normal exit with status 0: the low 7 bits (the signal) and the next 8 (the status) all zero.
        return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, Double(usage.ru_maxrss) / 1024, exitStatus & 0xFFFF == 0)
    }
}
