import Foundation

/// The process's one connection, shared with work that runs on other threads while its owner waits
/// (the executor's gate, the child-start record and the heartbeat of a running remediation).
///
/// `@unchecked Sendable` is safe because every use of `database` goes through `lock`: one thread at a
/// time, which is what SQLite asks of a connection in any threading mode; and the owner does not use
/// the connection itself while the shared work can run (it awaits that work), so the lock is the only
/// way in. Before this, each of those callbacks opened a connection of its own, against the rule of
/// one connection per process.
package final class SerializedConnection: @unchecked Sendable {
    private let lock = NSLock()
    private let database: Database

    /// Shares `database`; its owner must not use it directly while work holding this can run.
    package init(_ database: Database) {
        self.database = database
    }

    /// `Database.write`, one caller at a time.
    package func write<T>(_ body: (Database) throws -> T) throws -> T {
        try lock.withLock { try database.write(body) }
    }

    /// `Database.read`, one caller at a time.
    package func read<T>(_ body: (Database) throws -> T) throws -> T {
        try lock.withLock { try database.read(body) }
    }
}
