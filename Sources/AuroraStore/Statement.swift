import CSQLite

/// A prepared statement. Owned by one `Database`, used on the thread that owns the database.
package final class Statement {
    let handle: OpaquePointer
    private unowned let database: Database
    package let sql: String

    init(database: Database, sql: String) throws {
        var raw: OpaquePointer?
        let status = sqlite3_prepare_v3(database.handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &raw, nil)
        guard status == SQLITE_OK, let raw else {
            throw database.error(status, "preparing a statement")
        }
        self.handle = raw
        self.database = database
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    /// Clears earlier bindings and binds `values` to the positional parameters (`?`), 1-based.
    package func bind(_ values: [SQLValue]) throws {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        for (offset, value) in values.enumerated() {
            try bind(value, at: Int32(offset + 1))
        }
    }

    /// Binds one value at a 1-based parameter index.
    package func bind(_ value: SQLValue, at index: Int32) throws {
        let status: Int32
        switch value {
        case .null: status = sqlite3_bind_null(handle, index)
        case .integer(let number): status = sqlite3_bind_int64(handle, index, number)
        case .real(let number): status = sqlite3_bind_double(handle, index, number)
        case .text(let text):
            // The byte count, not -1: a text holding a NUL must be stored whole, not cut at it.
            let length = Int32(text.utf8.count)
            status = text.withCString { sqlite3_bind_text(handle, index, $0, length, aurora_sqlite_transient()) }
        case .blob(let bytes):
            status = bytes.withUnsafeBytes { raw in
                sqlite3_bind_blob(handle, index, raw.baseAddress, Int32(raw.count), aurora_sqlite_transient())
            }
        }
        guard status == SQLITE_OK else { throw database.error(status, "binding a parameter") }
    }

    /// Binds an integer without building an `SQLValue` (hot ingest loops).
    @inline(__always)
    package func bindInt64(_ value: Int64, at index: Int32) {
        sqlite3_bind_int64(handle, index, value)
    }

    /// Binds a double without building an `SQLValue` (hot ingest loops).
    @inline(__always)
    package func bindDouble(_ value: Double, at index: Int32) {
        sqlite3_bind_double(handle, index, value)
    }

    /// Advances; true when a row is available.
    @discardableResult
    package func step() throws -> Bool {
        let status = sqlite3_step(handle)
        switch status {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw database.error(status, "running a statement")
        }
    }

    /// Runs a statement that returns no rows, then resets it for reuse.
    package func run() throws {
        defer { sqlite3_reset(handle) }
        while try step() {}
    }

    package func reset() { sqlite3_reset(handle) }

    package var columnCount: Int32 { sqlite3_column_count(handle) }

    package func columnName(_ index: Int32) -> String {
        sqlite3_column_name(handle, index).map { String(cString: $0) } ?? "column\(index)"
    }

    package func int64(_ index: Int32) -> Int64 { sqlite3_column_int64(handle, index) }
    package func double(_ index: Int32) -> Double { sqlite3_column_double(handle, index) }
    package func isNull(_ index: Int32) -> Bool { sqlite3_column_type(handle, index) == SQLITE_NULL }
    /// An integer column, or nil when it is NULL.
    package func optionalInt64(_ index: Int32) -> Int64? { isNull(index) ? nil : int64(index) }

    package func text(_ index: Int32) -> String? {
        guard let pointer = sqlite3_column_text(handle, index) else { return nil }
        // By byte count: a stored NUL is part of the text.
        let count = Int(sqlite3_column_bytes(handle, index))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    package func blob(_ index: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(handle, index))
        guard count > 0, let pointer = sqlite3_column_blob(handle, index) else { return [] }
        // One memcpy: `Array(UnsafeRawBufferPointer)` copies byte by byte through the generic path, which
        // showed in a live pass that reads ten thousand detector states.
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            buffer.baseAddress?.initialize(from: pointer.assumingMemoryBound(to: UInt8.self), count: count)
            initialized = count
        }
    }

    /// The value of a column in the current row.
    package func value(_ index: Int32) -> SQLValue {
        switch sqlite3_column_type(handle, index) {
        case SQLITE_INTEGER: return .integer(int64(index))
        case SQLITE_FLOAT: return .real(double(index))
        case SQLITE_TEXT: return text(index).map { .text($0) } ?? .null
        case SQLITE_BLOB: return .blob(blob(index))
        default: return .null
        }
    }
}
