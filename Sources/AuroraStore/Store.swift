import AuroraCore
import Foundation

/// The aurora database: a migrated connection plus the questions every command asks of it.
package final class Store {
    package let database: Database

    /// Opens the database at `path`, creating and migrating it when allowed.
    package init(path: String, options: Database.Options = Database.Options()) throws {
        database = try Database(path: path, options: options)
        if !options.readOnly {
            try Migrator.migrate(database)
        } else {
            let version = Int(try database.scalar("PRAGMA user_version")?.int64 ?? 0)
            if version > Schema.latestVersion {
                throw SimpleFailure(.dataError, "\(path): schema version \(version) is newer than this aurora knows (\(Schema.latestVersion)); upgrade aurora")
            }
        }
    }

    package var path: String { database.path }

    /// Throws a `.dataError` failure when SQLite's `quick_check` finds the database damaged. A write
    /// that touches damaged pages already fails on its own; commands that must fail closed on any
    /// damage (remediation, before acting) call this first. It reads every page: O(size of the file).
    package func verifyIntegrity() throws {
        let problems: [String]
        do {
            problems = try database.query("PRAGMA quick_check").compactMap { $0[0].string }
        } catch let error as SQLiteError where error.kind == .dataError {
            problems = [error.message]
        }
        guard problems != ["ok"] else { return }
        throw SimpleFailure(.dataError, "\(path): the database is corrupted (\(problems.prefix(3).joined(separator: "; "))); "
                            + "refusing to act on it: run `aurora db check`, restore a backup")
    }

    /// Size, schema version and row counts.
    package func status() throws -> StoreStatus {
        try database.read { db in
            let version = Int(try db.scalar("PRAGMA user_version")?.int64 ?? 0)
            let tables = try db.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
                .compactMap { $0[0].string }
            var counts: [(String, Int64)] = []
            for table in tables {
                // Table names come from sqlite_master, not from input; quoted as identifiers.
                let quoted = "\"" + table.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                // Points can number in the billions; each series keeps its own count, kept exact by
                // every ingest, so summing those is a few pages instead of a full scan.
                let sql = table == "points" ? "SELECT coalesce(sum(points), 0) FROM series" : "SELECT count(*) FROM \(quoted)"
                counts.append((table, try db.scalar(sql)?.int64 ?? 0))
            }
            return StoreStatus(
                path: path,
                sizeBytes: Store.fileSize(path),
                walBytes: Store.fileSize(path + "-wal"),
                schemaVersion: version,
                latestSchemaVersion: Schema.latestVersion,
                rowCounts: counts
            )
        }
    }

    /// A file's size in bytes, 0 when it does not exist. By stat(2): Foundation's attributes also look up
    /// the owner's and group's names (the password and group files), a few milliseconds of `db status`.
    package static func fileSize(_ path: String) -> Int64 { Database.fileSize(path) }
}

/// What `aurora db status` prints.
package struct StoreStatus: Sendable {
    package let path: String
    package let sizeBytes: Int64
    package let walBytes: Int64
    package let schemaVersion: Int
    package let latestSchemaVersion: Int
    package let rowCounts: [(String, Int64)]
}
