import AuroraCLITestSupport
import AuroraStore
import AuroraTestSupport
import Foundation
import Testing

/// Issue 9 case 11 during `approve`: the disk fills between queueing and approving. The approval
/// fails with exit 74 naming the database and the cause, its transaction is rolled back (the item
/// is still queued, no audit entry, the executor never ran), reads keep working, and the item can be
/// approved once space is back.
@Suite(.serialized) struct DiskFullApproveTests {
    /// A queued `failover` (high tier) on `database`, its write-ahead log emptied so the approval
    /// must grow it, and a connection holding the log and its index open (so they need no new space).
    struct QueuedItem {
        let spy: RemediationSpy
        let database: String
        let before: DatabaseContent
        let holder: Database

        init(database: String, folder: TemporaryDirectory) throws {
            spy = try RemediationSpy(directory: folder.path)
            try spy.writeConfiguration()
            self.database = database
            let queued = try AuroraProcess.run(["--db", database, "--config", spy.configuration, "remediate", "failover",
                                                "--service", "db", "--actor", "alice"], in: folder)
            #expect(queued.status == 0, "\(queued.stderr)")
            holder = try Database(path: database, options: Database.Options(create: false))
            _ = try holder.query("PRAGMA wal_checkpoint(TRUNCATE)")
            before = try DatabaseContent.read(database)
        }

        func approve(_ folder: TemporaryDirectory, prefix: String = "") throws -> (status: Int32, stdout: String, stderr: String) {
            let command = "exec \"$AURORA\" --db \(database.shellQuoted) --config \(spy.configuration.shellQuoted) approve 1 --yes --actor bob"
            return try AuroraProcess.shell(prefix + command, in: folder)
        }

        /// The refused approval changed nothing, and everything still reads.
        func expectUnchanged(_ folder: TemporaryDirectory) throws {
            #expect(try DatabaseContent.read(database) == before, "the failed approval must store nothing")
            #expect(spy.invocations == 0)
            let queue = try AuroraProcess.run(["--db", database, "--config", spy.configuration, "queue", "--json"], in: folder)
            #expect(queue.status == 0, "\(queue.stderr)")
            #expect(queue.stdout.contains("\"state\":\"queued\""))
            #expect(try DatabaseContent.integrity(database) == ["ok"])
        }
    }

    @Test(.enabled(if: TinyFileSystem.isAvailable, "needs root allowed to mount a tmpfs"))
    func approvalOnAFullFileSystemRollsBack() throws {
        let folder = try TemporaryDirectory("aurora-rel-full-approve")
        defer { folder.remove() }
        let mountPoint = folder.file("tiny")
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        #expect(TinyFileSystem.mount(at: mountPoint, size: "1m"))
        defer { TinyFileSystem.unmount(mountPoint) }
        let item = try QueuedItem(database: mountPoint + "/aurora.db", folder: folder)
        let filler = TinyFileSystem.fill(mountPoint)

        let result = try item.approve(folder)
        #expect(result.status == 74, "\(result.stdout) \(result.stderr)")
        #expect(result.stderr.contains(item.database))
        #expect(result.stderr.contains("database or disk is full"))
        #expect(result.stderr.contains("rolled back"))
        try item.expectUnchanged(folder)

        // Space back: the same item is approved and runs once.
        try FileManager.default.removeItem(atPath: filler)
        let retried = try item.approve(folder)
        #expect(retried.status == 0, "\(retried.stderr)")
        #expect(item.spy.invocations == 1)
        withExtendedLifetime(item.holder) {}
    }

    /// The same with a file-size limit (`ulimit -f`, SIGXFSZ ignored so writes fail with EFBIG): runs
    /// everywhere, also without mount rights.
    @Test func approvalPastAFileSizeLimitRollsBack() throws {
        let folder = try TemporaryDirectory("aurora-rel-fsize-approve")
        defer { folder.remove() }
        let item = try QueuedItem(database: folder.file("aurora.db"), folder: folder)
        // 4 blocks (2–4 KiB): less than one log frame (a 4 KiB page plus its header).
        let result = try item.approve(folder, prefix: "ulimit -f 4; trap '' XFSZ; ")
        #expect(result.status == 74, "\(result.stdout) \(result.stderr)")
        #expect(result.stderr.contains(item.database))
        #expect(result.stderr.contains("file-size limit"))
        #expect(result.stderr.contains("rolled back"))
        try item.expectUnchanged(folder)
        withExtendedLifetime(item.holder) {}
    }
}
