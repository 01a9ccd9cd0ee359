import AuroraCLITestSupport
import AuroraCore
import AuroraStore
import AuroraTestSupport
import Foundation
import Testing

/// The storage under the database misbehaving: full, read-only, on a network, corrupted
/// (issue 9, cases 11 to 14).
@Suite(.serialized) struct StorageFailureTests {
    // MARK: - Case 11: disk full

    /// Case 11, emulated everywhere: the file-size limit (`ulimit -f`, RLIMIT_FSIZE, with SIGXFSZ
    /// ignored so writes fail with EFBIG) stops SQLite mid-ingest. Exit 74, the message names the
    /// database and the file-size limit, nothing is stored, reads and the integrity check still work.
    @Test func case11_diskFull_fileSizeLimit() throws {
        let folder = try TemporaryDirectory("aurora-rel-fsize")
        defer { folder.remove() }
        let database = folder.file("limited.db")
        let (before, big) = try prepareFullDiskDatabase(database, folder: folder)
        // dash counts `ulimit -f` in 512-byte blocks, bash in 1024: either way 1–2 MiB, far above the
        // 100 KiB database and far below the ingest's write-ahead log.
        let result = try AuroraProcess.shell(
            "ulimit -f 2048; trap '' XFSZ; exec \"$AURORA\" --db \(database.shellQuoted) ingest \(big.shellQuoted)", in: folder)
        #expect(result.status == 74, "\(result.stderr)")
        #expect(result.stderr.contains(database))
        #expect(result.stderr.contains("file-size limit"))
        #expect(result.stderr.contains("rolled back"))
        try expectUnchangedAndReadable(database, before: before, folder: folder)
    }

    /// Case 11 on a real full file system: a 512 KiB tmpfs, when this process may mount one (root
    /// outside a locked-down sandbox); elsewhere skipped, and the limit test above stands in.
    @Test(.enabled(if: TinyFileSystem.isAvailable, "needs root allowed to mount a tmpfs"))
    func case11_diskFull_tinyFileSystem() throws {
        let folder = try TemporaryDirectory("aurora-rel-tmpfs")
        defer { folder.remove() }
        let mountPoint = folder.file("tiny")
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        #expect(TinyFileSystem.mount(at: mountPoint, size: "512k"))
        defer { TinyFileSystem.unmount(mountPoint) }
        let database = mountPoint + "/full.db"
        let (before, big) = try prepareFullDiskDatabase(database, folder: folder)
        let result = try AuroraProcess.run(["--db", database, "ingest", big], in: folder)
        #expect(result.status == 74, "\(result.stderr)")
        #expect(result.stderr.contains(database))
        #expect(result.stderr.contains("database or disk is full"))
        #expect(result.stderr.contains("rolled back"))
        try expectUnchangedAndReadable(database, before: before, folder: folder)
    }

    /// A database with one series and one switch, and a dump far larger than the space left.
    private func prepareFullDiskDatabase(_ database: String, folder: TemporaryDirectory) throws -> (DatabaseContent, String) {
        let small = try folder.write("small.csv", Dumps.nab(points: 500))
        #expect(try AuroraProcess.run(["--db", database, "ingest", small], in: folder).status == 0)
        #expect(try AuroraProcess.run(["--db", database, "killswitch", "on", "--service", "kept"], in: folder).status == 0)
        let big = try folder.write("big.csv", Dumps.long(metric: "big", series: 20, points: 10_000))
        return (try DatabaseContent.read(database), big)
    }

    private func expectUnchangedAndReadable(_ database: String, before: DatabaseContent, folder: TemporaryDirectory) throws {
        #expect(try DatabaseContent.read(database) == before, "the failed ingest must store nothing")
        let status = try AuroraProcess.run(["--db", database, "killswitch", "status"], in: folder)
        #expect(status.status == 0)
        #expect(status.stdout.contains("service:kept"))
        let series = try AuroraProcess.run(["--db", database, "series", "list"], in: folder)
        #expect(series.status == 0)
        #expect(series.stdout.contains("small"))
        #expect(try AuroraProcess.run(["--db", database, "db", "check"], in: folder).status == 0)
        #expect(try DatabaseContent.integrity(database) == ["ok"])
    }

    // MARK: - Case 12: read-only database

    /// Case 12: file 0444 in a read-only folder (no `-shm` can be created). Reading commands work
    /// (opened immutable, with a note), writing ones fail at once with exit 73, the path and a
    /// permission hint. Run as an unprivileged user when the tests run as root (root ignores modes).
    @Test(.enabled(if: Self.unprivileged != nil, "needs a non-root user, or setpriv to become one"))
    func case12_readOnlyDatabase() throws {
        let folder = try TemporaryDirectory("aurora-rel-ro")
        defer { makeWritable(folder.path); folder.remove() }
        let data = folder.file("data")
        let database = data + "/ro.db"
        let dump = try folder.write("cpu.csv", Dumps.nab(points: 100))
        #expect(try AuroraProcess.run(["--db", database, "ingest", dump], in: folder).status == 0)
        #expect(try AuroraProcess.run(["--db", database, "killswitch", "on", "--service", "frozen"], in: folder).status == 0)
        // A queued remediation past its 24 h time to live: `queue` and `audit` would mark it expired
        // (a write); on a read-only database they show it as recorded, with a note.
        let spy = try RemediationSpy(directory: folder.path)
        try spy.writeConfiguration()
        #expect(try AuroraProcess.run(["--db", database, "--config", spy.configuration, "remediate", "failover", "--service", "db"],
                                      in: folder).status == 0)
        do {
            let writer = try Database(path: database, options: Database.Options(create: false))
            _ = try writer.write { try $0.run("UPDATE remediations SET created_ms = created_ms - 2 * 86400000") }
        }
        let before = try DatabaseContent.read(database)
        chmod(folder.path, 0o755)
        chmod(spy.configuration, 0o444)
        chmod(dump, 0o444)
        chmod(database, 0o444)
        chmod(data, 0o555)

        let readingCommands = [
            ["killswitch", "status"], ["series", "list"], ["db", "status"], ["db", "check"], ["queue"], ["queue", "--all"],
            ["audit"], ["audit", "--json"], ["freeze", "list"], ["incidents", "list"],
        ]
        for reading in readingCommands {
            let result = try runUnprivileged(["--db", database, "--config", spy.configuration] + reading, folder: folder)
            #expect(result.status == 0, "\(reading): \(result.stderr)")
        }
        let queue = try runUnprivileged(["--db", database, "--config", spy.configuration, "queue"], folder: folder)
        #expect(queue.stdout.contains("failover") && queue.stdout.contains("queued"), "\(queue.stdout)")
        #expect(queue.stderr.contains("the database is read-only"), "\(queue.stderr)")
        #expect(try runUnprivileged(["--db", database, "killswitch", "status"], folder: folder).stdout.contains("service:frozen"))
        #expect(try runUnprivileged(["--db", database, "killswitch", "check", "--service", "frozen"], folder: folder).status == 77)
        for writing in [["killswitch", "on", "--service", "new"], ["ingest", dump], ["killswitch", "off", "--service", "frozen"]] {
            let started = Date()
            let result = try runUnprivileged(["--db", database] + writing, folder: folder)
            #expect(result.status == 73, "\(writing): \(result.stderr)")
            #expect(result.stderr.contains(database))
            #expect(result.stderr.contains("read-only") && result.stderr.contains("chmod"))
            // Fail fast: well below the 10 s busy timeout a lock wait would show.
            #expect(Date().timeIntervalSince(started) < 8, "\(writing) took too long")
        }
        makeWritable(folder.path)
        #expect(try DatabaseContent.read(database) == before)
    }

    /// Case 12, file 0444 in a writable folder: SQLite can create `-shm`, so reads need no fallback.
    @Test(.enabled(if: Self.unprivileged != nil, "needs a non-root user, or setpriv to become one"))
    func case12_readOnlyFileWritableFolder() throws {
        let folder = try TemporaryDirectory("aurora-rel-ro-file")
        defer { folder.remove() }
        let data = folder.file("data")
        let database = data + "/ro.db"
        #expect(try AuroraProcess.run(["--db", database, "killswitch", "on", "--service", "frozen"], in: folder).status == 0)
        chmod(folder.path, 0o755)
        chmod(database, 0o444)
        chmod(data, 0o777)
        let reading = try runUnprivileged(["--db", database, "killswitch", "status"], folder: folder)
        #expect(reading.status == 0, "\(reading.stderr)")
        #expect(reading.stdout.contains("service:frozen"))
        let writing = try runUnprivileged(["--db", database, "killswitch", "on", "--service", "new"], folder: folder)
        #expect(writing.status == 73)
        #expect(writing.stderr.contains(database) && writing.stderr.contains("read-only"))
    }

    /// Case 12, the missing `-shm` case: a read-only folder whose write-ahead log still holds data
    /// cannot be read without creating `-shm`. The reading command explains that instead of
    /// showing stale data or SQLite's bare "unable to open".
    @Test(.enabled(if: Self.unprivileged != nil, "needs a non-root user, or setpriv to become one"))
    func case12_readOnlyFolderWithWriteAheadLog() throws {
        let folder = try TemporaryDirectory("aurora-rel-ro-wal")
        defer { makeWritable(folder.path); folder.remove() }
        let data = folder.file("data")
        let database = data + "/ro.db"
        #expect(try AuroraProcess.run(["--db", database, "killswitch", "on", "--service", "frozen"], in: folder).status == 0)
        // This connection keeps the log from being checkpointed away while another switch commits.
        let holder = try Database(path: database, options: Database.Options(create: false))
        _ = try holder.scalar("SELECT count(*) FROM audit_log")
        #expect(try AuroraProcess.run(["--db", database, "killswitch", "on", "--service", "in-log"], in: folder).status == 0)
        chmod(folder.path, 0o755)
        chmod(database, 0o444)
        chmod(database + "-wal", 0o444)
        // Unreadable even for its owner, so the case is the same with or without root (root runs the
        // command as nobody): the index of a log holding data cannot be opened.
        chmod(database + "-shm", 0o000)
        chmod(data, 0o555)
        let result = try runUnprivileged(["--db", database, "killswitch", "status"], folder: folder)
        #expect(result.status == 73, "\(result.stdout) \(result.stderr)")
        #expect(result.stderr.contains(database + "-shm"))
        #expect(result.stderr.contains("writable"))
        withExtendedLifetime(holder) {}
    }

    /// How to run aurora without write permission: directly when not root, else through setpriv as
    /// `nobody`.
    static let unprivileged: [String]? = {
        if geteuid() != 0 { return [] }
        for candidate in ["/usr/bin/setpriv", "/bin/setpriv"] where FileManager.default.isExecutableFile(atPath: candidate) {
            return [candidate, "--reuid=65534", "--regid=65534", "--clear-groups"]
        }
        return nil
    }()

    private func runUnprivileged(_ arguments: [String], folder: TemporaryDirectory) throws -> (status: Int32, stdout: String, stderr: String) {
        let prefix = Self.unprivileged ?? []
        let words = (prefix + ["\"$AURORA\""]).joined(separator: " ") + " " + arguments.map(\.shellQuoted).joined(separator: " ")
        // Output files must be writable by the unprivileged user: the shell redirects to stdout/stderr
        // files the test created, which the child inherits already open.
        return try AuroraProcess.shell("exec \(words)", in: folder)
    }

    private func makeWritable(_ path: String) {
        TinyFileSystem.run("/bin/chmod", ["-R", "u+rwX", path])
    }

    // MARK: - Case 13: network file systems

    /// Case 13: the documented rule, decided from injected `statfs` results: WAL on local file
    /// systems, the rollback journal (and a warning) on NFS, SMB/CIFS and other network ones.
    @Test(arguments: [
        (UInt64(0xEF53), DatabaseFileSystem.local), (0x0102_1994, .local), (0x5846_5342, .local), (0x9123_683E, .local),
        (0x6969, .network("nfs")), (0x517B, .network("smb")), (0xFF53_4D42, .network("cifs")),
        (0xFE53_4D42, .network("smb2")), (0x5346_414F, .network("afs")), (0x00C3_6400, .network("ceph")),
    ])
    func case13_networkFileSystemRule(magic: UInt64, expected: DatabaseFileSystem) {
        let decided = DatabaseFileSystem.classify(magic: magic)
        #expect(decided == expected)
        #expect(decided.allowsWriteAheadLog == (expected == .local))
    }

    /// Case 13, end to end in-process: a database opened on an (injected) NFS folder keeps the
    /// rollback journal and says why; on the real local folder it uses WAL; macOS names too.
    @Test func case13_networkFileSystemJournal() throws {
        let folder = try TemporaryDirectory("aurora-rel-nfs")
        defer { folder.remove() }
        #expect(DatabaseFileSystem.of(folder: folder.path) == .local)
        #expect(DatabaseFileSystem.classify(typeName: "smbfs") == .network("smbfs"))
        #expect(DatabaseFileSystem.classify(typeName: "apfs") == .local)

        do {
            let local = try Database(path: folder.file("local.db"))
            #expect(try local.scalar("PRAGMA journal_mode")?.string == "wal")
            #expect(local.openingNote == nil)
        }
        let onNFS = try Database(path: folder.file("nfs.db"), options: Database.Options(fileSystem: .network("nfs")))
        #expect(try onNFS.scalar("PRAGMA journal_mode")?.string == "delete")
        #expect(onNFS.openingNote?.contains("network file system (nfs)") == true)
        // A WAL database moved onto a network share is switched back to the rollback journal.
        let moved = try Database(path: folder.file("local.db"), options: Database.Options(fileSystem: .network("cifs")))
        #expect(try moved.scalar("PRAGMA journal_mode")?.string == "delete")
        #expect(moved.openingNote?.contains("write-ahead logging is off") == true)
        // Writes work in rollback-journal mode.
        try onNFS.write { db in try db.execute("CREATE TABLE t (x)") }
        #expect(try onNFS.scalar("SELECT count(*) FROM t")?.int64 == 0)
    }

    // MARK: - Case 14: corrupted database

    /// Case 14: bytes overwritten in a copy of a real database (the header, the schema page, the
    /// root pages of the tables writes touch). `db check` exits 65 naming the corruption; a write that
    /// touches damage refuses with 65 and stores nothing; `Store.verifyIntegrity()` (what remediation
    /// runs before acting: fail closed) refuses every damaged copy; nothing crashes. `killswitch on`
    /// still works when only tables it does not touch are damaged: the brake must work in an incident.
    @Test func case14_corruptedDatabase() throws {
        let folder = try TemporaryDirectory("aurora-rel-corrupt")
        defer { folder.remove() }
        let original = folder.file("good.db")
        let dump = try folder.write("cpu.csv", Dumps.long(metric: "cpu", series: 4, points: 2_000))
        #expect(try AuroraProcess.run(["--db", original, "ingest", dump], in: folder).status == 0)
        for index in 0..<20 {
            #expect(try AuroraProcess.run(["--db", original, "killswitch", "on", "--service", "s\(index)"], in: folder).status == 0)
        }
        let pageSize = Int(try DatabaseContent.scalar(original, "PRAGMA page_size"))
        var roots: [String: Int] = [:]
        for row in try DatabaseContent.rows(original, "SELECT name, rootpage FROM sqlite_master WHERE type = 'table'") {
            if let name = row[0].string, let page = row[1].int64 { roots[name] = Int(page) }
        }
        let newDump = try folder.write("new.csv", Dumps.nab(points: 50))
        let killSwitchOn = ["killswitch", "on", "--service", "new"]
        let ingestNew = ["ingest", newDump]
        // (label, byte offset, length, the writing commands that touch the damage and must refuse).
        var damages: [(String, Int, Int, [[String]])] = [
            ("header", 0, 16, [killSwitchOn, ingestNew]),
            ("schema page", 100, pageSize - 100, [killSwitchOn, ingestNew]),
        ]
        let touching: [String: [[String]]] = [
            "audit_log": [killSwitchOn, ingestNew], "kill_switches": [killSwitchOn], "series": [ingestNew], "points": [ingestNew],
        ]
        for (table, commands) in touching.sorted(by: { $0.key < $1.key }) {
            if let page = roots[table] { damages.append(("\(table) root", (page - 1) * pageSize, pageSize, commands)) }
        }
        #expect(damages.count == 6)
        var generator = Xoshiro256(seed: 14)
        for (label, offset, length, refusing) in damages {
            let copy = folder.file("corrupt-\(label.replacingOccurrences(of: " ", with: "-")).db")
            var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: original)))
            for index in offset..<min(offset + length, bytes.count) { bytes[index] = UInt8(truncatingIfNeeded: generator.next()) }
            try Data(bytes).write(to: URL(fileURLWithPath: copy))

            let check = try AuroraProcess.run(["--db", copy, "db", "check"], in: folder)
            #expect(check.status == 65, "\(label): db check \(check.status) \(check.stderr)")
            let reported = check.stderr.lowercased()
            #expect(reported.contains("corrupt") || reported.contains("malformed") || reported.contains("not a database"),
                    "\(label): \(check.stderr)")
            #expect(throws: (any Error).self, "\(label): verifyIntegrity must refuse") {
                let store = try Store(path: copy, options: Database.Options(readOnly: true, create: false))
                try store.verifyIntegrity()
            }
            for writing in [killSwitchOn, ingestNew] {
                let result = try AuroraProcess.run(["--db", copy] + writing, in: folder)
                if refusing.contains(writing) {
                    #expect(result.status == 65, "\(label): \(writing) exited \(result.status): \(result.stderr)")
                } else {
                    #expect(result.status == 0 || result.status == 65, "\(label): \(writing) exited \(result.status): \(result.stderr)")
                }
            }
            // Reading commands answer or fail cleanly (a status and a message), never crash.
            for reading in [["killswitch", "status"], ["series", "list"], ["db", "status"]] {
                let result = try AuroraProcess.run(["--db", copy] + reading, in: folder)
                #expect(result.status == 0 || result.status == 65, "\(label): \(reading) exited \(result.status): \(result.stderr)")
            }
        }
        #expect(try DatabaseContent.integrity(original) == ["ok"])
    }
}
