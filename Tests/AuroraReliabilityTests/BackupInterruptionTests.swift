import AuroraStore
import AuroraTestSupport
import Foundation
import Testing

/// Issue 18, item 6: an interrupted `db backup` left a file that SQLite read as a valid, empty
/// database (`db check` said ok). The copy now goes to a temporary name in the same folder and takes
/// the target's name only when complete.
@Suite(.serialized) struct BackupInterruptionTests {
    /// The backup process is killed mid-copy by the kernel (SIGXFSZ from a file-size limit far below
    /// the database's size): nothing exists at the target afterwards.
    @Test func aBackupKilledMidCopyLeavesNothingAtTheTarget() throws {
        let folder = try TemporaryDirectory("aurora-rel-backup")
        defer { folder.remove() }
        let database = try seededDatabase(in: folder)
        let target = folder.file("copy.db")
        // dash counts `ulimit -f` in 512-byte blocks, bash in 1024: 64–128 KiB, far below the database.
        let result = try AuroraProcess.shell("ulimit -f 128; exec \"$AURORA\" --db \(database.shellQuoted) db backup \(target.shellQuoted)",
                                             in: folder)
        #expect(result.status == 128 + SIGXFSZ, "the backup was not interrupted: \(result.status) \(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: target), "an interrupted backup left a file at the target")
        // What it may leave is its partial copy, under a name nobody mistakes for a backup.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".copy.db.partial-") }
        #expect(leftovers.count <= 1)
        // And a backup made afterwards is complete.
        let again = try AuroraProcess.run(["--db", database, "db", "backup", target], in: folder)
        #expect(again.status == 0, "\(again.stderr)")
        let check = try AuroraProcess.run(["--db", target, "series", "list"], in: folder)
        #expect(check.status == 0 && check.stdout.contains("backup_source"), "\(check.stdout) \(check.stderr)")
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

    /// A database of a few megabytes (far above the 64–128 KiB limit).
    private func seededDatabase(in folder: TemporaryDirectory) throws -> String {
        let database = folder.file("aurora.db")
        let dump = try folder.write("backup_source.csv", Dumps.nab(points: 60_000))
        let ingest = try AuroraProcess.run(["--db", database, "ingest", dump], in: folder)
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let size = (try FileManager.default.attributesOfItem(atPath: database)[.size] as? Int) ?? 0
        let wal = (try? FileManager.default.attributesOfItem(atPath: database + "-wal")[.size] as? Int) ?? 0
        #expect(size + wal > 1 << 20, "the seeded database is too small to interrupt its copy")
        return database
    }
}
