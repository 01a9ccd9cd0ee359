import AuroraCore
import CSQLite
import Foundation

/// One SQLite connection: aurora opens exactly one per process.
///
/// Not `Sendable`: a connection is used from the task that opened it. Writes go through `write`,
/// which runs `BEGIN IMMEDIATE` so that concurrent processes queue on the write lock up front; a
/// deferred transaction that reads and then writes can fail with `SQLITE_BUSY_SNAPSHOT` whatever
/// the timeout.
public final class Database {
    let handle: OpaquePointer
    /// The file path, for messages.
    public let path: String
    private var statements: [String: Statement] = [:]
    private var transactionDepth = 0

    /// How a connection is opened.
    public struct Options: Sendable {
        /// How long a statement waits for another process's lock before failing with BUSY.
        public var busyTimeoutMilliseconds: Int32 = 10_000
        /// Open read-only (commands that only read still work on a read-only file).
        public var readOnly = false
        /// Create the file (mode 0600) and its folder when missing.
        public var create = true

        public init(busyTimeoutMilliseconds: Int32 = 10_000, readOnly: Bool = false, create: Bool = true) {
            self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
            self.readOnly = readOnly
            self.create = create
        }
    }

    /// Opens (and when allowed, creates) the database at `path`, in WAL mode with foreign keys on.
    public init(path: String, options: Options = Options()) throws {
        self.path = path
        if options.create && !options.readOnly && path != ":memory:" {
            try Database.createFile(at: path)
        } else if path != ":memory:" && !FileManager.default.fileExists(atPath: path) {
            throw SimpleFailure(.noInput, "\(path): no database here (run `aurora init`, or pass --db)")
        }
        var raw: OpaquePointer?
        var flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        flags |= options.readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let status = sqlite3_open_v2(path, &raw, flags, nil)
        guard status == SQLITE_OK, let raw else {
            let message = raw.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let raw { sqlite3_close_v2(raw) }
            throw SQLiteError(extendedCode: status, message: message, context: "opening \(path)")
        }
        handle = raw
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, options.busyTimeoutMilliseconds)
        try execute("PRAGMA foreign_keys = ON")
        if !options.readOnly && path != ":memory:" {
            try enableWriteAheadLog()
            // FULL: losing the last committed audit entry or remediation state on power loss is worse
            // than the extra fsync per transaction.
            try execute("PRAGMA synchronous = FULL")
        }
    }

    deinit {
        statements.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Creates the folder (0700) and an empty file (0600) when missing, so the database is never
    /// world-readable even for an instant.
    private static func createFile(at path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty && !FileManager.default.fileExists(atPath: folder) {
            do {
                try FileManager.default.createDirectory(
                    atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw SimpleFailure(.cannotCreate, "\(folder): cannot create the database folder (\(error.localizedDescription))")
            }
        }
        let descriptor = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        if descriptor >= 0 {
            close(descriptor)
        } else if errno != EEXIST {
            let reason = String(cString: strerror(errno))
            throw SimpleFailure(.cannotCreate, "\(path): cannot create the database (\(reason))")
        }
    }

    /// WAL lets readers and one writer proceed together. Setting it needs a brief exclusive lock, so
    /// several processes opening a new database at once may see BUSY: retry a bounded number of times.
    private func enableWriteAheadLog() throws {
        var attempts = 0
        while true {
            do {
                let mode = try scalar("PRAGMA journal_mode")?.string?.lowercased()
                if mode == "wal" { return }
                _ = try scalar("PRAGMA journal_mode = WAL")
                return
            } catch let failure as SQLiteError where failure.isBusy && attempts < 50 {
                attempts += 1
                usleep(20_000)
            }
        }
    }

    func error(_ status: Int32, _ doing: String) -> SQLiteError {
        let extended = sqlite3_extended_errcode(handle)
        let message = String(cString: sqlite3_errmsg(handle))
        return SQLiteError(extendedCode: extended != 0 ? extended : status, message: message, context: "\(path): \(doing)")
    }

    // MARK: - Statements

    /// A cached prepared statement for `sql`.
    public func prepare(_ sql: String) throws -> Statement {
        if let cached = statements[sql] {
            cached.reset()
            return cached
        }
        let statement = try Statement(database: self, sql: sql)
        statements[sql] = statement
        return statement
    }

    /// Runs one or more statements with no parameters (schema, pragmas).
    public func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let status = sqlite3_exec(handle, sql, nil, nil, &message)
        if status != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? "error \(status)"
            sqlite3_free(message)
            throw SQLiteError(extendedCode: sqlite3_extended_errcode(handle), message: text, context: "\(path): executing SQL")
        }
    }

    /// Runs a statement with bound parameters; returns the number of rows it changed.
    @discardableResult
    public func run(_ sql: String, _ values: [SQLValue] = []) throws -> Int {
        let statement = try prepare(sql)
        try statement.bind(values)
        try statement.run()
        return Int(sqlite3_changes(handle))
    }

    /// All rows of a query.
    public func query(_ sql: String, _ values: [SQLValue] = []) throws -> [SQLRow] {
        let statement = try prepare(sql)
        try statement.bind(values)
        defer { statement.reset() }
        let count = statement.columnCount
        let names = (0..<count).map { statement.columnName($0) }
        var rows: [SQLRow] = []
        while try statement.step() {
            rows.append(SQLRow(columns: names, values: (0..<count).map { statement.value($0) }))
        }
        return rows
    }

    /// The first column of the first row, or nil when there is no row.
    public func scalar(_ sql: String, _ values: [SQLValue] = []) throws -> SQLValue? {
        let statement = try prepare(sql)
        try statement.bind(values)
        defer { statement.reset() }
        return try statement.step() ? statement.value(0) : nil
    }

    /// The rowid of the last insert on this connection.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Rows changed by the last statement.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    // MARK: - Transactions

    /// Runs `body` in a write transaction (`BEGIN IMMEDIATE`), committing on return and rolling back
    /// on a thrown error. Nested calls join the outer transaction.
    ///
    /// Beginning is retried a bounded number of times when another process holds the write lock past
    /// the busy timeout, so a burst of concurrent writers never surfaces `SQLITE_BUSY` to the operator
    /// unless the database stays locked for a long time.
    public func write<T>(_ body: (Database) throws -> T) throws -> T {
        if transactionDepth > 0 { return try body(self) }
        try begin("BEGIN IMMEDIATE")
        transactionDepth += 1
        defer { transactionDepth -= 1 }
        do {
            let result = try body(self)
            try commit()
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Runs `body` in a read transaction, so every query inside sees one consistent snapshot.
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        if transactionDepth > 0 { return try body(self) }
        try begin("BEGIN DEFERRED")
        transactionDepth += 1
        defer { transactionDepth -= 1 }
        do {
            let result = try body(self)
            try commit()
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// True inside `write` or `read`.
    public var inTransaction: Bool { transactionDepth > 0 }

    private func begin(_ sql: String) throws {
        var attempts = 0
        while true {
            do {
                try execute(sql)
                return
            } catch let failure as SQLiteError where failure.isBusy && attempts < 5 {
                attempts += 1
                usleep(UInt32(10_000 * attempts))
            }
        }
    }

    private func commit() throws {
        var attempts = 0
        while true {
            do {
                try execute("COMMIT")
                return
            } catch let failure as SQLiteError where failure.isBusy && attempts < 5 {
                // A commit can be BUSY while readers finish with the WAL; it stays pending, so retry.
                attempts += 1
                usleep(UInt32(10_000 * attempts))
            }
        }
    }

    // MARK: - Maintenance

    /// `PRAGMA integrity_check`: "ok", or the problems SQLite found.
    public func integrityCheck() throws -> [String] {
        try query("PRAGMA integrity_check").compactMap { $0[0].string }
    }

    /// Copies the database to `destination` with SQLite's online backup API, a consistent snapshot
    /// even while other processes keep writing.
    public func backup(to destination: String) throws {
        if FileManager.default.fileExists(atPath: destination) {
            throw SimpleFailure(.cannotCreate, "\(destination): already exists (choose a new file name)")
        }
        let descriptor = open(destination, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw SimpleFailure(.cannotCreate, "\(destination): cannot create the backup (\(String(cString: strerror(errno))))")
        }
        close(descriptor)
        var target: OpaquePointer?
        guard sqlite3_open_v2(destination, &target, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK,
              let target else {
            if let target { sqlite3_close_v2(target) }
            throw SimpleFailure(.cannotCreate, "\(destination): cannot open the backup file")
        }
        defer { sqlite3_close_v2(target) }
        guard let backup = sqlite3_backup_init(target, "main", handle, "main") else {
            throw SQLiteError(extendedCode: sqlite3_extended_errcode(target),
                              message: String(cString: sqlite3_errmsg(target)), context: "\(destination): starting the backup")
        }
        // Copy everything in one step: the source is read in one transaction, so the copy is one
        // consistent moment, and writers only wait for the copy of the file, not for a paged loop.
        var status = sqlite3_backup_step(backup, -1)
        var attempts = 0
        while (status == SQLITE_BUSY || status == SQLITE_LOCKED) && attempts < 100 {
            attempts += 1
            usleep(20_000)
            status = sqlite3_backup_step(backup, -1)
        }
        sqlite3_backup_finish(backup)
        guard status == SQLITE_DONE else {
            try? FileManager.default.removeItem(atPath: destination)
            throw SQLiteError(extendedCode: status, message: String(cString: sqlite3_errstr(status)),
                              context: "\(destination): copying the database")
        }
    }
}
