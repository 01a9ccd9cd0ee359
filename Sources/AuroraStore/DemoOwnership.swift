import AuroraCore
import Foundation

/// Marks a database as created by `aurora demo`, so the demo can tell its own file from a user's.
///
/// The mark is SQLite's `application_id` header field (offset 68), which aurora leaves at 0 on every
/// database it creates for real use: it needs no table and no migration, survives backups, and can be
/// read without touching any row.
package enum DemoOwnership {
    /// "AuDm": a database the demo created and may reuse.
    package static let applicationID: Int64 = 0x4175_446D

    /// Stamps the mark on a database the demo has just created.
    package static func mark(_ store: Store) throws {
        try store.database.execute("PRAGMA application_id = \(applicationID)")
    }

    /// True when the file at `path` is an SQLite database the demo created. A file that is not a
    /// database, or cannot be read, is not the demo's.
    package static func isOwnedByDemo(_ path: String) -> Bool {
        guard let database = try? Database(path: path, options: Database.Options(readOnly: true, create: false)),
              let id = try? database.scalar("PRAGMA application_id")?.int64 else { return false }
        return id == applicationID
    }
}
