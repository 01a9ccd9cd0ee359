import AuroraStore
import AuroraTestSupport
import Foundation
import Testing

/// Issue 18, item 6: an interrupted `db backup` left a file that SQLite read as a valid, empty
/// database (`db check` said ok). The copy now goes to a temporary name in the same folder and takes
/// the target's name only when complete.
@Suite(.serialized) struct BackupInterruptionTests {
    /// The backup process is killed (SIGKILL) as soon as a file of the copy appears, again and again:
    /// nothing is ever left at the target. Before the fix the target existed from the first byte.
    @Test func aBackupKilledMidCopyLeavesNothingAtTheTarget() throws {
        let folder = try TemporaryDirectory("aurora-rel-backup")
        defer { folder.remove() }
        let database = try seededDatabase(in: folder)
        var interrupted = 0
        for attempt in 0..<Iterations.count(ci: 5) {
            let target = folder.file("copy-\(attempt).db")
            let child = try AuroraProcess(["--db", database, "db", "backup", target], in: folder, label: "backup-\(attempt)")
            let partial = folder.file(".copy-\(attempt).db.partial-\(child.pid)")
            let deadline = Date().addingTimeInterval(20)
            while !FileManager.default.fileExists(atPath: partial) && !FileManager.default.fileExists(atPath: target)
                    && child.process.isRunning && Date() < deadline {
                usleep(100)
            }
            child.kill()
            let status = child.wait()
            guard status == 128 + SIGKILL else { continue } // finished before the kill: not an interruption
            interrupted += 1
            #expect(!FileManager.default.fileExists(atPath: target), "attempt \(attempt): an interrupted backup left a file at the target")
        }
        #expect(interrupted > 0, "no backup was interrupted mid-copy")
        // A backup made afterwards is complete and readable.
        let target = folder.file("copy.db")
        let again = try AuroraProcess.run(["--db", database, "db", "backup", target], in: folder)
        #expect(again.status == 0, "\(again.stderr)")
        let check = try AuroraProcess.run(["--db", target, "series", "list"], in: folder)
        #expect(check.status == 0 && check.stdout.contains("backup_source"), "\(check.stdout) \(check.stderr)")
        // The killed backups' partial copies were swept by that backup, and it said so.
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(!names.contains { $0.contains(".partial-") }, "\(names)")
    }

    /// When the copy fails without killing aurora (the limit's signal ignored: writes fail with
    /// EFBIG), aurora reports it, leaves no target and removes its partial copy.
    @Test func aFailedBackupRemovesItsPartialCopy() throws {
        let folder = try TemporaryDirectory("aurora-rel-backup-fail")
        defer { folder.remove() }
        let database = try seededDatabase(in: folder)
        let target = folder.file("copy.db")
        let result = try AuroraProcess.shell(
            "ulimit -f 128; trap '' XFSZ; exec \"$AURORA\" --db \(database.shellQuoted) db backup \(target.shellQuoted)", in: folder)
        #expect(result.status != 0)
        #expect(result.stderr.contains(target), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: target))
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(!names.contains { $0.contains(".partial-") }, "\(names)")
    }

    /// A database of several megabytes, so that its copy takes a while (and is far above the 64–128 KiB limit).
    private func seededDatabase(in folder: TemporaryDirectory) throws -> String {
        let database = folder.file("aurora.db")
        let dump = try folder.write("backup_source.csv", Dumps.nab(points: 200_000))
        let ingest = try AuroraProcess.run(["--db", database, "ingest", dump], in: folder)
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let size = (try FileManager.default.attributesOfItem(atPath: database)[.size] as? Int) ?? 0
        let wal = (try? FileManager.default.attributesOfItem(atPath: database + "-wal")[.size] as? Int) ?? 0
        #expect(size + wal > 1 << 20, "the seeded database is too small to interrupt its copy")
        return database
    }
}
