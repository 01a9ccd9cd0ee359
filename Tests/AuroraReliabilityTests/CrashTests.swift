import AuroraCore
import AuroraStore
import AuroraTestSupport
import Foundation
import Testing

/// Crashes at any moment: SIGKILL mid-write never corrupts the database, never leaves half a
/// transaction, never rewrites the audit trail; a crash's hot log is recovered, not deleted
/// (issue 9, cases 9 and 10).
@Suite(.serialized) struct CrashTests {
    /// Case 9: SIGKILL at a random moment (fixed seed) during ingest, kill-switch and detect writes,
    /// each of which appends to the audit trail. After every kill: `integrity_check` is ok, a command
    /// that reported success is stored, a killed one is stored entirely or not at all (with or
    /// without its audit entry, never one without the other), and earlier audit entries are unchanged.
    /// CI runs a few iterations; `AURORA_RELIABILITY_ITERATIONS=200` runs the count.
    @Test func case09_randomKillLoop() throws {
        let folder = try TemporaryDirectory("aurora-rel-kill")
        defer { folder.remove() }
        let database = folder.file("kill.db")
        #expect(try AuroraProcess.run(["--db", database, "killswitch", "on", "--service", "seed"], in: folder).status == 0)
        let iterations = Iterations.count(ci: 12)
        let points = 20_000
        var generator = Xoshiro256(seed: 0x9_0C4)
        var audit: [SQLRow] = try auditRows(database)
        var killed = 0, finished = 0
        for iteration in 0..<iterations {
            let operation = Int(generator.next() % 3)
            let arguments: [String]
            let maxDelay: Double
            switch operation {
            case 0:
                let file = try folder.write("crash_\(iteration).csv", Dumps.nab(points: points, seed: UInt64(iteration)))
                arguments = ["--db", database, "ingest", file]
                maxDelay = 0.5
            case 1:
                arguments = ["--db", database, "killswitch", "on", "--service", "crash-\(iteration)", "--reason", "loop"]
                maxDelay = 0.08
            default:
                arguments = ["--db", database, "detect"]
                maxDelay = 0.3
            }
            let child = try AuroraProcess(arguments, in: folder, label: "kill\(iteration)")
            Thread.sleep(forTimeInterval: generator.nextUnit() * maxDelay)
            child.kill()
            let status = child.wait()
            if status == 0 { finished += 1 } else { killed += 1 }
            #expect(status == 0 || status == 128 + SIGKILL, "iteration \(iteration): status \(status) \(child.stderr)")

            #expect(try DatabaseContent.integrity(database) == ["ok"], "iteration \(iteration)")
            switch operation {
            case 0:
                let stored = try DatabaseContent.rows(database, "SELECT points FROM series WHERE name = ?", [.text("crash_\(iteration)")])
                let audited = try DatabaseContent.scalar(
                    database, "SELECT count(*) FROM audit_log WHERE action = 'ingest' AND subject LIKE ?", [.text("%crash_\(iteration).csv")])
                #expect(audited == Int64(stored.count), "iteration \(iteration): series and its audit entry commit together")
                if let row = stored.first { #expect(row[0].int64 == Int64(points), "iteration \(iteration): all or nothing") }
                if status == 0 { #expect(stored.count == 1, "iteration \(iteration): reported success but not stored") }
            case 1:
                let stored = try DatabaseContent.scalar(
                    database, "SELECT count(*) FROM kill_switches WHERE target = ?", [.text("crash-\(iteration)")])
                let audited = try DatabaseContent.scalar(
                    database, "SELECT count(*) FROM audit_log WHERE action = 'killswitch.on' AND subject = ?", [.text("service:crash-\(iteration)")])
                #expect(stored == audited, "iteration \(iteration)")
                if status == 0 { #expect(stored == 1, "iteration \(iteration): reported success but not stored") }
            default:
                // Detector state only ever moves to a stored point of its series.
                #expect(try DatabaseContent.scalar(database, """
                    SELECT count(*) FROM detector_state d JOIN series s ON s.id = d.series_id
                    WHERE d.watermark_ms NOT IN (SELECT ts FROM points p WHERE p.series_id = s.id)
                    """) == 0, "iteration \(iteration)")
            }
            // Append-only: every earlier entry is still there, unchanged, in the same order.
            let now = try auditRows(database)
            #expect(now.count >= audit.count)
            #expect(zip(audit, now).allSatisfy { $0.values == $1.values }, "iteration \(iteration): the audit trail was rewritten")
            audit = now
        }
        // A later command works normally on whatever the kills left.
        #expect(try AuroraProcess.run(["--db", database, "killswitch", "on", "--service", "after"], in: folder).status == 0)
        #expect(try DatabaseContent.integrity(database) == ["ok"])
        #expect(killed + finished == iterations)
        // With these delays most kills land while the command runs; all finishing would test nothing.
        if iterations >= 10 { #expect(killed > 0, "no kill landed mid-command (\(finished) finished)") }
    }

    /// Case 10: the last process using the database dies mid-transaction, leaving a hot write-ahead
    /// log that also holds a committed transaction not yet copied into the database file. The next
    /// command recovers it: the committed switch is there, the killed ingest is not, the check is ok.
    @Test(.enabled(if: Self.holder != nil, "needs sqlite3 or python3 to hold the database open"))
    func case10_hotWriteAheadLog() throws {
        let folder = try TemporaryDirectory("aurora-rel-hotwal")
        defer { folder.remove() }
        let database = folder.file("hot.db")
        #expect(try AuroraProcess.run(["--db", database, "killswitch", "on", "--service", "base"], in: folder).status == 0)

        // Another process keeps the database open, so the committing aurora below is not the last
        // connection and does not checkpoint the log into the file when it exits.
        let (holder, holderInput) = try startHolder(database: database, folder: folder)
        defer { if holder.isRunning { kill(holder.processIdentifier, SIGKILL); holder.waitUntilExit() } }
        #expect(try AuroraProcess.run(["--db", database, "killswitch", "on", "--service", "committed"], in: folder).status == 0)
        let walAfterCommit = fileSize(database + "-wal")
        #expect(walAfterCommit > 0, "the committed transaction should still be in the write-ahead log")

        // A large ingest spills uncommitted pages into the log; kill it there.
        try folder.write("big.csv", Dumps.long(metric: "big", series: 20, points: 15_000))
        let writer = try AuroraProcess(["--db", database, "ingest", folder.file("big.csv")], in: folder, label: "big")
        let deadline = Date().addingTimeInterval(120)
        while writer.process.isRunning && fileSize(database + "-wal") <= walAfterCommit && Date() < deadline {
            usleep(2_000)
        }
        writer.kill()
        #expect(writer.wait() == 128 + SIGKILL, "the ingest finished before it could be killed mid-transaction")
        #expect(holder.isRunning, "the holder must still hold the database when it is killed")
        kill(holder.processIdentifier, SIGKILL)
        holder.waitUntilExit()
        withExtendedLifetime(holderInput) {}

        // The crash left the log and the shared-memory index behind.
        #expect(FileManager.default.fileExists(atPath: database + "-wal"))
        #expect(FileManager.default.fileExists(atPath: database + "-shm"))
        #expect(fileSize(database + "-wal") > walAfterCommit)

        let status = try AuroraProcess.run(["--db", database, "killswitch", "status"], in: folder)
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("service:committed"))
        #expect(status.stdout.contains("service:base"))
        let series = try AuroraProcess.run(["--db", database, "series", "list"], in: folder)
        #expect(series.status == 0)
        #expect(!series.stdout.contains("big"))
        let check = try AuroraProcess.run(["--db", database, "db", "check"], in: folder)
        #expect(check.status == 0, "\(check.stderr)")
        #expect(try DatabaseContent.scalar(database, "SELECT count(*) FROM points") == 0)
    }

    /// Case 10, the other half: aurora's own code never deletes `-wal`, `-shm` or `-journal` files
    /// (only SQLite may, when it has checkpointed them). A source scan, so a future "cleanup" that
    /// would throw away committed transactions fails here.
    @Test func case10_auroraNeverDeletesJournals() throws {
        let offenders = try SourceScan.lines { _, line in
            let mentionsJournal = line.contains("-wal") || line.contains("-shm") || line.contains("-journal")
            let deletes = line.contains("removeItem") || line.contains("unlink(") || line.contains("remove(")
            return mentionsJournal && deletes
        }
        #expect(offenders.isEmpty, "\(offenders)")
    }

    // MARK: - Helpers

    /// A program that can open the database and keep it open: the sqlite3 shell, else Python.
    static let holder: [String]? = {
        for candidate in ["/usr/bin/sqlite3", "/usr/local/bin/sqlite3", "/bin/sqlite3"]
        where FileManager.default.isExecutableFile(atPath: candidate) {
            return [candidate]
        }
        for candidate in ["/usr/bin/python3", "/usr/local/bin/python3"] where FileManager.default.isExecutableFile(atPath: candidate) {
            return [candidate, "-c", """
                import sqlite3, sys
                connection = sqlite3.connect(sys.argv[1])
                print(connection.execute("SELECT count(*) FROM audit_log").fetchone()[0], flush=True)
                sys.stdin.read()
                """]
        }
        return nil
    }()

    /// Starts the holder; its stdin pipe is returned so that it stays open (the holder waits on it).
    private func startHolder(database: String, folder: TemporaryDirectory) throws -> (Process, Pipe) {
        guard let command = Self.holder else { throw CocoaError(.fileNoSuchFile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst()) + [database]
        let input = Pipe()
        let outputPath = folder.file("holder.out")
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        process.standardInput = input
        process.standardOutput = FileHandle(forWritingAtPath: outputPath)
        process.standardError = FileHandle.nullDevice
        try process.run()
        if command.count == 1 {
            // The sqlite3 shell: read once (which maps the log index), then wait on stdin.
            input.fileHandleForWriting.write(Data("SELECT count(*) FROM audit_log;\n".utf8))
        }
        let deadline = Date().addingTimeInterval(30)
        while fileSize(outputPath) == 0 && Date() < deadline && process.isRunning { usleep(5_000) }
        #expect(fileSize(outputPath) > 0, "the holder did not open the database")
        return (process, input)
    }

    private func auditRows(_ database: String) throws -> [SQLRow] {
        try DatabaseContent.rows(database, "SELECT id, at_ms, actor, action, subject, detail, outcome FROM audit_log ORDER BY id")
    }

    private func fileSize(_ path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }
}
