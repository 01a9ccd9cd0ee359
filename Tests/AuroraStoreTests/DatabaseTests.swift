import AuroraCore
import AuroraStore
import AuroraTestSupport
import Foundation
import Testing

@Suite struct DatabaseTests {
    @Test func createsFileWithOwnerOnlyPermissionsAndItsFolder() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.file("nested/deeper/aurora.db")
        let store = try Store(path: path)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(try store.database.scalar("PRAGMA journal_mode")?.string == "wal")
        #expect(try store.database.scalar("PRAGMA foreign_keys")?.int64 == 1)
        #expect(try store.database.scalar("PRAGMA user_version")?.int64 == Int64(Schema.latestVersion))
    }

    @Test func failedTransactionLeavesNothingBehind() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let store = try Store(path: folder.file("a.db"))
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try store.database.write { db in
                try AuditLog.append(AuditEntry(at: Date(), actor: "t", action: "x"), to: db)
                throw Boom()
            }
        }
        #expect(try AuditLog.entries(in: store.database).isEmpty)
    }

    @Test func boundParametersAreNeverInterpretedAsSQL() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let store = try Store(path: folder.file("a.db"))
        let hostile = "x'); DROP TABLE audit_log; --"
        try store.database.write { try AuditLog.append(AuditEntry(at: Date(), actor: hostile, action: "a"), to: $0) }
        #expect(try AuditLog.entries(in: store.database).map(\.actor) == [hostile])
    }

    @Test func auditTrailIsAppendOnly() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let store = try Store(path: folder.file("a.db"))
        try store.database.write { try AuditLog.append(AuditEntry(at: Date(), actor: "t", action: "a"), to: $0) }
        #expect(throws: SQLiteError.self) { try store.database.run("DELETE FROM audit_log") }
        #expect(throws: SQLiteError.self) { try store.database.run("UPDATE audit_log SET actor = 'someone else'") }
        #expect(try AuditLog.entries(in: store.database).count == 1)
    }

    @Test func backupIsACompleteConsistentCopy() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let store = try Store(path: folder.file("a.db"))
        try store.database.write { db in
            for index in 0..<50 { try AuditLog.append(AuditEntry(at: Date(), actor: "t", action: "a\(index)"), to: db) }
        }
        try store.database.backup(to: folder.file("copy.db"))
        let copy = try Store(path: folder.file("copy.db"), options: Database.Options(readOnly: true, create: false))
        #expect(try copy.database.integrityCheck() == ["ok"])
        #expect(try AuditLog.entries(in: copy.database).count == 50)
        #expect(throws: SimpleFailure.self) { try store.database.backup(to: folder.file("copy.db")) }
    }

    @Test func aWriterWaitsForAnotherConnectionsLockInsteadOfFailing() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.file("a.db")
        _ = try Store(path: path)
        let second = try Store(path: path, options: Database.Options(busyTimeoutMilliseconds: 5_000))
        let locked = DispatchSemaphore(value: 0)
        // Another connection, on its own thread, holds the write lock for a moment; the second writer
        // must wait for it, not fail.
        let holder = Thread {
            guard let first = try? Store(path: path) else { locked.signal(); return }
            try? first.database.execute("BEGIN IMMEDIATE")
            locked.signal()
            usleep(200_000)
            try? first.database.execute("COMMIT")
        }
        holder.start()
        locked.wait()
        try second.database.write { try AuditLog.append(AuditEntry(at: Date(), actor: "t", action: "after"), to: $0) }
        #expect(try AuditLog.entries(in: second.database).map(\.action) == ["after"])
    }

    @Test func readOnlyOpenOfMissingFileIsNoInput() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let error = try #require(throws: SimpleFailure.self) {
            _ = try Store(path: folder.file("missing.db"), options: Database.Options(readOnly: true, create: false))
        }
        #expect(error.kind == .noInput)
    }

    @Test func garbageFileIsReportedAsDataError() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = try folder.write("junk.db", String(repeating: "not a database ", count: 400))
        let error = try #require(throws: SQLiteError.self) { _ = try Store(path: path) }
        #expect(error.kind == .dataError)
        #expect(error.description.contains("junk.db"))
    }

    /// A backup killed mid-copy leaves `.NAME.partial-PID`; the next backup into that folder removes the
    /// ones whose process is gone and keeps those of live processes (a backup still running).
    @Test func aBackupSweepsPartialCopiesOfDeadProcessesOnly() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let store = try Store(path: folder.file("a.db"))
        let finished = Process()
        finished.executableURL = URL(fileURLWithPath: "/bin/true")
        try finished.run()
        finished.waitUntilExit()
        let dead = try folder.write(".old.db.partial-\(finished.processIdentifier)", "x")
        let deadJournal = try folder.write(".old.db.partial-\(finished.processIdentifier)-journal", "x")
        let live = try folder.write(".other.db.partial-\(getpid())", "x")
        let unrelated = try folder.write(".notes.partial-draft", "x")
        let removed = try store.database.backup(to: folder.file("copy.db"))
        #expect(Set(removed) == [(dead as NSString).lastPathComponent, (deadJournal as NSString).lastPathComponent])
        #expect(!FileManager.default.fileExists(atPath: dead) && !FileManager.default.fileExists(atPath: deadJournal))
        #expect(FileManager.default.fileExists(atPath: live) && FileManager.default.fileExists(atPath: unrelated))
    }
}
