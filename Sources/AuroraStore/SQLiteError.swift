import AuroraCore
import CSQLite

/// A failure reported by SQLite, with its result code and message.
///
/// The message never contains bound values: statements bind parameters, and only SQLite's own
/// message (which does not quote them) and aurora's context reach the operator.
package struct SQLiteError: AuroraFailure, Equatable {
    /// The extended result code (`SQLITE_BUSY_SNAPSHOT`, `SQLITE_IOERR_WRITE`, …).
    package let extendedCode: Int32
    /// SQLite's message.
    package let message: String
    /// What aurora was doing, and on which file.
    package let context: String

    package init(extendedCode: Int32, message: String, context: String) {
        self.extendedCode = extendedCode
        self.message = message
        self.context = context
    }

    /// The primary result code (`SQLITE_BUSY`, `SQLITE_FULL`, …).
    package var code: Int32 { extendedCode & 0xFF }

    package var isBusy: Bool { code == SQLITE_BUSY || code == SQLITE_LOCKED }

    package var kind: FailureKind {
        switch code {
        case SQLITE_BUSY, SQLITE_LOCKED: return .temporary
        case SQLITE_CORRUPT, SQLITE_NOTADB: return .dataError
        case SQLITE_CANTOPEN, SQLITE_READONLY, SQLITE_PERM, SQLITE_AUTH: return .cannotCreate
        case SQLITE_FULL, SQLITE_IOERR: return .ioError
        case SQLITE_CONSTRAINT, SQLITE_MISMATCH, SQLITE_RANGE: return .software
        default: return .software
        }
    }

    package var description: String {
        var text = "\(context): \(message)"
        switch code {
        case SQLITE_BUSY, SQLITE_LOCKED:
            text += " (another aurora process held the database past the busy timeout; try again)"
        case SQLITE_READONLY:
            text += " (the database or its folder is read-only; check permissions, or use a copy)"
        case SQLITE_FULL:
            // SQLite's own message is "database or disk is full"; say that nothing was half-written.
            text += " (free space on that file system; the transaction was rolled back, nothing was stored)"
        case SQLITE_IOERR:
            // A write refused with EFBIG (a file-size limit such as `ulimit -f`) or EIO arrives here, not
            // as SQLITE_FULL: name both causes (issue 9, case 11).
            text += " (a read or write failed: the disk may be full, a file-size limit (ulimit -f) reached, or the device failing; the transaction was rolled back, nothing was stored)"
        case SQLITE_CORRUPT, SQLITE_NOTADB:
            text += " (the file is damaged or not an aurora database; run `aurora db check`, restore from `aurora db backup`)"
        default: break
        }
        return text
    }
}
