import AuroraCore
import AuroraStore
import AuroraTestSupport
import Foundation
import Testing

@Suite struct MigrationTests {
    static let first = Migration(version: 1, summary: "one", sql: "CREATE TABLE a (x INTEGER);")
    static let second = Migration(version: 2, summary: "two", sql: "CREATE TABLE b (y TEXT); INSERT INTO a VALUES (7);")

    @Test func upgradesAnOlderDatabaseInPlaceKeepingData() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let database = try Database(path: folder.file("m.db"))
        try Migrator.migrate(database, migrations: [Self.first])
        try database.run("INSERT INTO a VALUES (1)")
        try Migrator.migrate(database, migrations: [Self.first, Self.second])
        #expect(try database.scalar("PRAGMA user_version")?.int64 == 2)
        #expect(try database.query("SELECT x FROM a ORDER BY x").map { $0[0].int64 } == [1, 7])
        // Running again is a no-op.
        try Migrator.migrate(database, migrations: [Self.first, Self.second])
        #expect(try database.scalar("SELECT count(*) FROM a")?.int64 == 2)
    }

    @Test func aFailingMigrationIsAppliedNotAtAll() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let database = try Database(path: folder.file("m.db"))
        try Migrator.migrate(database, migrations: [Self.first])
        let broken = Migration(version: 2, summary: "broken", sql: "CREATE TABLE c (z INTEGER); THIS IS NOT SQL;")
        #expect(throws: SQLiteError.self) { try Migrator.migrate(database, migrations: [Self.first, broken]) }
        #expect(try database.scalar("PRAGMA user_version")?.int64 == 1)
        #expect(try database.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'c'")?.int64 == 0)
    }

    @Test func refusesADatabaseNewerThanThisBuild() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let database = try Database(path: folder.file("m.db"))
        try database.execute("PRAGMA user_version = \(Schema.latestVersion + 5)")
        let error = try #require(throws: SimpleFailure.self) { try Migrator.migrate(database) }
        #expect(error.kind == .dataError)
        #expect(error.message.contains("newer than this aurora knows"))
    }

    @Test func schemaVersionsAreStrictlyIncreasing() {
        let versions = Schema.migrations.map(\.version)
        #expect(versions == Array(1...versions.count))
    }
}
