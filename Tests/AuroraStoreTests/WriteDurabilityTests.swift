import AuroraCore
import AuroraStore
import AuroraTestSupport
import Foundation
import Testing

/// `Database.write(durability:)` and how long a connection lets the write-ahead log grow.
@Suite struct WriteDurabilityTests {
    /// `PRAGMA synchronous`: 1 is NORMAL, 2 is FULL.
    private func synchronous(_ db: Database) throws -> Int64? { try db.scalar("PRAGMA synchronous")?.int64 }

    @Test func aDeferredWriteSkipsTheSyncForItsTransactionOnly() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let store = try Store(path: folder.file("a.db"))
        let db = store.database
        #expect(try synchronous(db) == 2)
        let inside = try db.write(durability: .deferred) { db in
            try AuditLog.append(AuditEntry(at: Date(), actor: "t", action: "deferred"), to: db)
            return try synchronous(db)
        }
        #expect(inside == 1)
        #expect(try synchronous(db) == 2, "the next transaction is synced again")
        let synced = try db.write { try synchronous($0) }
        #expect(synced == 2)
        #expect(try AuditLog.entries(in: db).map(\.action) == ["deferred"])
    }

    @Test func aFailedDeferredWriteRollsBackAndRestoresTheSync() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let store = try Store(path: folder.file("a.db"))
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try store.database.write(durability: .deferred) { db in
                try AuditLog.append(AuditEntry(at: Date(), actor: "t", action: "x"), to: db)
                throw Boom()
            }
        }
        #expect(try AuditLog.entries(in: store.database).isEmpty)
        #expect(try synchronous(store.database) == 2)
    }

    @Test func aDeferredWriteNestedInASyncedOneKeepsTheOuterSync() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let store = try Store(path: folder.file("a.db"))
        let inner = try store.database.write { db in
            try db.write(durability: .deferred) { try synchronous($0) }
        }
        #expect(inner == 2)
    }

    /// Without write-ahead logging (network file systems) NORMAL could cost more than a lost transaction:
    /// every write is synced there.
    @Test func withARollbackJournalEveryWriteIsSynced() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let store = try Store(path: folder.file("a.db"), options: Database.Options(fileSystem: .network("nfs")))
        #expect(try store.database.scalar("PRAGMA journal_mode")?.string != "wal")
        let inside = try store.database.write(durability: .deferred) { try synchronous($0) }
        #expect(inside == 2)
    }

    /// A transaction that writes some 8 MB of log: past the default threshold, below a raised one.
    private func writeLargeTransaction(_ db: Database) throws {
        try db.write { db in
            try db.execute("CREATE TABLE IF NOT EXISTS filler (id INTEGER PRIMARY KEY, data BLOB)")
            for _ in 0..<2_000 { try db.execute("INSERT INTO filler (data) VALUES (zeroblob(4000))") }
        }
    }

    private func logBytes(_ path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size]) as? NSNumber)?.int64Value ?? 0
    }

    @Test func theDefaultConnectionTruncatesALargeLogAfterTheCommit() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.file("a.db")
        let store = try Store(path: path)
        try writeLargeTransaction(store.database)
        #expect(logBytes(path) <= Database.Options().walTruncateThresholdBytes)
    }

    /// A watcher writes tens of megabytes of log every pass: it keeps the file instead of truncating and
    /// growing it again, and still truncates past its own bound.
    @Test func aRaisedBoundKeepsTheLogUpToIt() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.file("a.db")
        let store = try Store(path: path)
        store.database.keepWriteAheadLog(upTo: 64 << 20)
        try writeLargeTransaction(store.database)
        let kept = logBytes(path)
        #expect(kept > Database.Options().walTruncateThresholdBytes)
        #expect(kept <= 64 << 20)
        store.database.keepWriteAheadLog(upTo: 1 << 20)
        try writeLargeTransaction(store.database)
        #expect(logBytes(path) <= 1 << 20)
    }
}
