import AuroraCore
import CSQLite
import Foundation

/// One SQLite connection: aurora opens exactly one per process.
///
/// Not `Sendable`: a connection is used from the task that opened it. Writes go through `write`,
/// which runs `BEGIN IMMEDIATE` so that concurrent processes queue on the write lock up front; a
/// deferred transaction that reads and then writes can fail with `SQLITE_BUSY_SNAPSHOT` whatever
/// the timeout.
package final class Database {
    private(set) var handle: OpaquePointer
    /// The file path, for messages.
    package let path: String
    private var statements: [String: Statement] = [:]
    private var transactionDepth = 0
    private var options: Options
    /// The file system the database folder is on (decides the journal mode; see `DatabaseFileSystem`).
    package private(set) var fileSystem: DatabaseFileSystem = .local
    /// True when the connection was opened read-only (`Options.readOnly`): `write` then fails at once.
    package private(set) var isReadOnly = false
    /// A note for the operator about how the database was opened (network file system, read-only
    /// fallback), or nil. The command line prints it on stderr.
    package private(set) var openingNote: String?

    /// How a connection is opened.
    package struct Options: Sendable {
        /// How long a statement waits for another process's lock before failing with BUSY.
        package var busyTimeoutMilliseconds: Int32 = 10_000
        /// Open read-only (commands that only read still work on a read-only file).
        package var readOnly = false
        /// Create the file (mode 0600) and its folder when missing.
        package var create = true
        /// After a commit, when the write-ahead log has grown past this many bytes, try a non-blocking
        /// `TRUNCATE` checkpoint: a long reader stops checkpoints from resetting the log, and without this
        /// the log keeps its high-water size on disk forever (issue 9, case 4).
        package var walTruncateThresholdBytes: Int64 = 4 << 20
        /// The file system to assume instead of asking `statfs` (tests inject network file systems).
        package var fileSystem: DatabaseFileSystem?

        package init(busyTimeoutMilliseconds: Int32 = 10_000, readOnly: Bool = false, create: Bool = true,
                    walTruncateThresholdBytes: Int64 = 4 << 20, fileSystem: DatabaseFileSystem? = nil) {
            self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
            self.readOnly = readOnly
            self.create = create
            self.walTruncateThresholdBytes = walTruncateThresholdBytes
            self.fileSystem = fileSystem
        }
    }

    /// Opens (and when allowed, creates) the database at `path`, in WAL mode with foreign keys on.
    ///
    /// On a network file system the rollback journal is kept instead of WAL (see `DatabaseFileSystem`).
    /// Read-only: when SQLite cannot open a WAL database because its folder is read-only and the `-shm`
    /// file is missing, the file is opened `immutable` provided there is no write-ahead log holding data
    /// (issue 9, case 12); otherwise the error explains what is missing.
    package init(path: String, options: Options = Options()) throws {
        self.path = path
        self.options = options
        if options.create && !options.readOnly && path != ":memory:" {
            try Database.createFile(at: path)
        } else if path != ":memory:" && !FileManager.default.fileExists(atPath: path) {
            throw SimpleFailure(.noInput, "\(path): no database here (run `aurora init`, or pass --db)")
        }
        if path != ":memory:" {
            fileSystem = options.fileSystem ?? DatabaseFileSystem.of(folder: (path as NSString).deletingLastPathComponent)
        }
        handle = try Database.connect(path, readOnly: options.readOnly, immutable: false)
        isReadOnly = options.readOnly
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, options.busyTimeoutMilliseconds)
        try execute("PRAGMA foreign_keys = ON")
        if options.readOnly && path != ":memory:" {
            try probeReadOnly()
        }
        if !options.readOnly && path != ":memory:" {
            if fileSystem.allowsWriteAheadLog {
                try enableWriteAheadLog()
            } else {
                try keepRollbackJournal()
            }
            // FULL: losing the last committed audit entry or remediation state on power loss is worse
            // than the extra fsync per transaction. Writes of data aurora can fetch again ask for less
            // (`Durability.deferred`).
            try execute("PRAGMA synchronous = FULL")
        }
    }

    private static func connect(_ path: String, readOnly: Bool, immutable: Bool) throws -> OpaquePointer {
        var raw: OpaquePointer?
        var flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        flags |= readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        var name = path
        if immutable {
            // A URI so that `immutable=1` applies; '?' and '#' in the path must be escaped there.
            flags |= SQLITE_OPEN_URI
            let escaped = path.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "?", with: "%3f")
                .replacingOccurrences(of: "#", with: "%23")
            name = "file:\(escaped)?immutable=1"
        }
        let status = sqlite3_open_v2(name, &raw, flags, nil)
        guard status == SQLITE_OK, let raw else {
            let message = raw.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let raw { sqlite3_close_v2(raw) }
            throw SQLiteError(extendedCode: status, message: message, context: "opening \(path)")
        }
        return raw
    }

    /// A read-only connection to a WAL database needs the `-shm` file, which SQLite cannot create in a
    /// read-only folder. Reading the schema shows whether that works; when it does not and no
    /// write-ahead log holds data, reopen the file as immutable (nothing can change it anyway).
    private func probeReadOnly() throws {
        do {
            _ = try scalar("SELECT count(*) FROM sqlite_master")
        } catch let failure as SQLiteError where failure.code == SQLITE_CANTOPEN || failure.code == SQLITE_READONLY {
            let walBytes = Database.fileSize(path + "-wal")
            guard walBytes == 0 else {
                throw SimpleFailure(.cannotCreate, """
                    \(path): cannot read the database: it is in WAL mode, its write-ahead log \(path)-wal holds \
                    \(walBytes) bytes, and reading them needs \(path)-shm, which SQLite can neither create nor open \
                    here (make the folder and that file writable, or copy the database with its -wal file to a writable folder)
                    """)
            }
            // Open the replacement first: if it fails, `deinit` still closes a valid handle.
            let immutable = try Database.connect(path, readOnly: true, immutable: true)
            statements.removeAll()
            sqlite3_close_v2(handle)
            handle = immutable
            sqlite3_extended_result_codes(handle, 1)
            openingNote = "note: \(path): opened read-only as immutable (its folder is not writable, so SQLite cannot create \(path)-shm)"
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

    /// The documented rule for network file systems: no WAL (its shared-memory index does not work
    /// across hosts), the rollback journal instead. Switching an existing WAL database back needs it to
    /// be unused; when another process holds it, keep WAL for this run and say so.
    private func keepRollbackJournal() throws {
        let name = fileSystem.name
        var attempts = 0
        while true {
            do {
                let mode = try scalar("PRAGMA journal_mode")?.string?.lowercased()
                if mode != "wal" { break }
                _ = try scalar("PRAGMA journal_mode = DELETE")
                break
            } catch let failure as SQLiteError where failure.isBusy && attempts < 10 {
                attempts += 1
                usleep(20_000)
            } catch let failure as SQLiteError where failure.isBusy {
                openingNote = "warning: \(path) is on a network file system (\(name)) and still in WAL mode because another process holds it; do not share it between hosts"
                return
            }
        }
        openingNote = "warning: \(path) is on a network file system (\(name)): write-ahead logging is off (rollback journal instead); do not share this database between hosts"
    }

    static func fileSize(_ path: String) -> Int64 {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : 0
    }

    func error(_ status: Int32, _ doing: String) -> SQLiteError {
        let extended = sqlite3_extended_errcode(handle)
        let message = String(cString: sqlite3_errmsg(handle))
        return SQLiteError(extendedCode: extended != 0 ? extended : status, message: message, context: "\(path): \(doing)")
    }

    // MARK: - Statements

    /// A cached prepared statement for `sql`.
    package func prepare(_ sql: String) throws -> Statement {
        if let cached = statements[sql] {
            cached.reset()
            return cached
        }
        let statement = try Statement(database: self, sql: sql)
        statements[sql] = statement
        return statement
    }

    /// Runs one or more statements with no parameters (schema, pragmas).
    package func execute(_ sql: String) throws {
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
    package func run(_ sql: String, _ values: [SQLValue] = []) throws -> Int {
        let statement = try prepare(sql)
        try statement.bind(values)
        try statement.run()
        return Int(sqlite3_changes(handle))
    }

    /// All rows of a query.
    package func query(_ sql: String, _ values: [SQLValue] = []) throws -> [SQLRow] {
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
    package func scalar(_ sql: String, _ values: [SQLValue] = []) throws -> SQLValue? {
        let statement = try prepare(sql)
        try statement.bind(values)
        defer { statement.reset() }
        return try statement.step() ? statement.value(0) : nil
    }

    /// The rowid of the last insert on this connection.
    package var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Rows changed by the last statement.
    package var changes: Int { Int(sqlite3_changes(handle)) }

    // MARK: - Transactions

    /// Runs `body` in a write transaction (`BEGIN IMMEDIATE`), committing on return and rolling back
    /// on a thrown error. Nested calls join the outer transaction.
    ///
    /// Beginning is retried a bounded number of times when another process holds the write lock past
    /// the busy timeout, so a burst of concurrent writers never surfaces `SQLITE_BUSY` to the operator
    /// unless the database stays locked for a long time. `durability` says whether the commit waits
    /// for the disk (see `Durability`); a nested call has the outer transaction's.
    package func write<T>(durability: Durability = .synced, _ body: (Database) throws -> T) throws -> T {
        if transactionDepth > 0 { return try body(self) }
        // Fail fast with the path and a hint rather than SQLite's bare "readonly database" (case 12).
        if isReadOnly {
            throw SimpleFailure(.cannotCreate, "\(path): the database is read-only for this user (the file or its folder is not writable), and this command writes; fix the permissions (chmod u+w on the file and its folder) or run it as the owner")
        }
        // The level cannot change inside a transaction: set it for this one, and back to FULL after it.
        let deferred = durability == .deferred && fileSystem.allowsWriteAheadLog && path != ":memory:"
        if deferred { try execute("PRAGMA synchronous = NORMAL") }
        defer { if deferred { try? execute("PRAGMA synchronous = FULL") } }
        try begin("BEGIN IMMEDIATE")
        transactionDepth += 1
        defer { transactionDepth -= 1 }
        let result: T
        do {
            result = try body(self)
            try commit()
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
        truncateWriteAheadLogIfLarge()
        return result
    }

    /// Lets this connection's log grow to `bytes` before a commit truncates it (see
    /// `Options.walTruncateThresholdBytes`): for a long-running writer whose every pass writes more
    /// than the default, which would otherwise truncate the file after each pass and grow it again.
    package func keepWriteAheadLog(upTo bytes: Int64) {
        options.walTruncateThresholdBytes = max(bytes, 0)
    }

    /// A non-blocking `TRUNCATE` checkpoint once the log is past the threshold: it succeeds when no
    /// reader still needs the log (after a long reader ends) and gives up at once otherwise, so a
    /// writer never waits for a reader here. Best effort: a failure leaves the log for next time.
    private func truncateWriteAheadLogIfLarge() {
        guard path != ":memory:", fileSystem.allowsWriteAheadLog,
              Database.fileSize(path + "-wal") > options.walTruncateThresholdBytes else { return }
        _ = checkpoint(truncate: true)
    }

    /// Copies the write-ahead log into the database without waiting for other processes; with
    /// `truncate`, also empties the log file when no reader still uses it. Returns true when the log
    /// was fully checkpointed.
    @discardableResult
    package func checkpoint(truncate: Bool = true) -> Bool {
        sqlite3_busy_timeout(handle, 0)
        defer { sqlite3_busy_timeout(handle, options.busyTimeoutMilliseconds) }
        var logFrames: Int32 = 0
        var copiedFrames: Int32 = 0
        let mode = truncate ? SQLITE_CHECKPOINT_TRUNCATE : SQLITE_CHECKPOINT_PASSIVE
        let status = sqlite3_wal_checkpoint_v2(handle, nil, mode, &logFrames, &copiedFrames)
        return status == SQLITE_OK && logFrames == copiedFrames
    }

    /// Runs `body` in a read transaction, so every query inside sees one consistent snapshot.
    package func read<T>(_ body: (Database) throws -> T) throws -> T {
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
    package var inTransaction: Bool { transactionDepth > 0 }

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
    package func integrityCheck() throws -> [String] {
        try query("PRAGMA integrity_check").compactMap { $0[0].string }
    }

    /// Copies the database to `destination` with SQLite's online backup API, a consistent snapshot
    /// even while other processes keep writing.
    ///
    /// The copy is written to a temporary file in the destination's folder and appears under its name
    /// only when complete (a hard link, which like `rename` is atomic but never replaces a file that
    /// appeared meanwhile). A backup interrupted at any moment, even by SIGKILL or a full disk, leaves
    /// nothing at `destination`: before, it left a file SQLite read as a valid, empty database. What
    /// an interruption can leave is the temporary file, named `.NAME.partial-PID`; the next backup into
    /// the same folder removes those whose process is gone, and returns their names.
    @discardableResult
    package func backup(to destination: String) throws -> [String] {
        if FileManager.default.fileExists(atPath: destination) {
            throw SimpleFailure(.cannotCreate, "\(destination): already exists (choose a new file name)")
        }
        let folder = (destination as NSString).deletingLastPathComponent
        let removed = StalePartialBackups.remove(in: folder.isEmpty ? "." : folder)
        let partial = (folder.isEmpty ? "" : folder + "/") + "." + (destination as NSString).lastPathComponent + ".partial-\(getpid())"
        unlink(partial) // Left by an earlier, interrupted backup of this process id.
        let descriptor = open(partial, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw SimpleFailure(.cannotCreate, "\(destination): cannot create the backup (\(String(cString: strerror(errno))))")
        }
        close(descriptor)
        var completed = false
        defer {
            if !completed {
                unlink(partial)
            }
        }
        try copy(to: partial, shownAs: destination)
        // The copy is on disk (the target connection commits with synchronous=FULL); now give it its name.
        if link(partial, destination) != 0 {
            let code = errno
            if code == EEXIST {
                throw SimpleFailure(.cannotCreate, "\(destination): already exists (choose a new file name)")
            }
            // File systems without hard links (FAT, some network shares): rename, after checking again.
            guard code == EPERM || code == ENOTSUP || code == EXDEV, !FileManager.default.fileExists(atPath: destination),
                  rename(partial, destination) == 0 else {
                throw SimpleFailure(.cannotCreate, "\(destination): cannot create the backup (\(String(cString: strerror(code))))")
            }
        }
        completed = true
        unlink(partial)
        // Make the new name itself durable.
        let folderDescriptor = open(folder.isEmpty ? "." : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folderDescriptor >= 0 {
            fsync(folderDescriptor)
            close(folderDescriptor)
        }
        return removed
    }

    /// The online backup itself, into an existing empty file.
    private func copy(to path: String, shownAs destination: String) throws {
        var target: OpaquePointer?
        guard sqlite3_open_v2(path, &target, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK,
              let target else {
            if let target { sqlite3_close_v2(target) }
            throw SimpleFailure(.cannotCreate, "\(destination): cannot open the backup file")
        }
        defer { sqlite3_close_v2(target) }
        // No rollback journal for the copy: until it is renamed it is a scratch file that a failure
        // discards whole, so a journal would only be a second file left behind by an interruption.
        sqlite3_exec(target, "PRAGMA journal_mode = OFF; PRAGMA synchronous = FULL", nil, nil, nil)
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
            throw SQLiteError(extendedCode: status, message: String(cString: sqlite3_errstr(status)),
                              context: "\(destination): copying the database")
        }
    }
}

/// The kind of file system a database folder is on, as far as SQLite's locking is concerned.
///
/// The documented rule (README "Guarantees", `man aurora`): WAL needs a shared-memory index that every
/// process using the database maps, which network file systems do not provide across hosts, so on
/// NFS, SMB/CIFS, AFS, Ceph, Coda, NCP and Lustre aurora keeps SQLite's rollback journal instead of WAL
/// and warns on every command that opens the database there. Lives here, beside the one place that
/// uses it, because the reliability work may only touch this file of the store (issue 9, case 13).
package enum DatabaseFileSystem: Equatable, Sendable {
    /// A local file system: WAL is used.
    case local
    /// A network file system, by name (`nfs`, `smb`, `cifs`, …): WAL is not used.
    case network(String)

    /// The documented rule: WAL only on a local file system.
    package var allowsWriteAheadLog: Bool { self == .local }

    /// The file system's name for messages.
    package var name: String {
        switch self {
        case .local: return "local"
        case .network(let name): return name
        }
    }

    /// Linux `statfs.f_type` magic numbers of network file systems (from `linux/magic.h` and the
    /// file systems' own headers).
    package static let networkMagicNumbers: [UInt64: String] = [
        0x6969: "nfs", 0x517B: "smb", 0xFF53_4D42: "cifs", 0xFE53_4D42: "smb2", 0x5346_414F: "afs",
        0x6B41_4653: "afs", 0x00C3_6400: "ceph", 0x7375_7245: "coda", 0x564C: "ncp", 0x0BD0_0BD0: "lustre",
    ]

    /// macOS `statfs.f_fstypename` values of network file systems.
    package static let networkTypeNames: Set<String> = ["nfs", "smbfs", "afpfs", "webdav", "cifs", "ftp"]

    /// The decision for a Linux `f_type` value.
    package static func classify(magic: UInt64) -> DatabaseFileSystem {
        networkMagicNumbers[magic].map { .network($0) } ?? .local
    }

    /// The decision for a macOS `f_fstypename` value.
    package static func classify(typeName: String) -> DatabaseFileSystem {
        networkTypeNames.contains(typeName.lowercased()) ? .network(typeName.lowercased()) : .local
    }

    /// Asks `statfs` about `folder` (the current folder when empty); `.local` when it cannot tell.
    package static func of(folder: String) -> DatabaseFileSystem {
        let target = folder.isEmpty ? "." : folder
        #if os(Linux)
        // Swift's Glibc module does not import <sys/vfs.h>; look `statfs` up by name. Its first field,
        // `f_type`, is a native word on every Linux ABI; the buffer is larger than `struct statfs`.
        typealias StatFS = @convention(c) (UnsafePointer<CChar>, UnsafeMutableRawPointer) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "statfs") else { return .local }
        let call = unsafeBitCast(symbol, to: StatFS.self)
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: 512, alignment: 16)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: 0, count: 512)
        guard call(target, buffer) == 0 else { return .local }
        let magic = UInt64(UInt(bitPattern: buffer.load(as: Int.self)))
        return classify(magic: magic)
        #else
        var info = statfs()
        guard statfs(target, &info) == 0 else { return .local }
        let name = withUnsafeBytes(of: info.f_fstypename) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        return classify(typeName: name)
        #endif
    }
}
