import AuroraCore
import Foundation

/// The bytes a streaming `JSONCursor` can see: a buffer holding a stretch of the input that slides
/// forward as the cursor moves, refilled from a reader (a pipe, inflated gzip).
///
/// Offsets stay absolute (from the start of the input): the cursor reads through a base pointer moved
/// back by the window's start, so its scanning code is the same for a mapped file and for a stream.
/// Only the bytes from the oldest span still in use onward are kept; a single string or number longer
/// than `maxTokenBytes` is refused, which bounds memory to about two chunks.
final class JSONWindow {
    static let chunkSize = 4 << 20

    private var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Absolute offset of `storage[0]`, and of the end of the bytes read so far.
    private(set) var start = 0
    private(set) var end = 0
    private(set) var atEnd = false
    private let maxTokenBytes: Int
    private let reader: (UnsafeMutableRawPointer, Int) throws -> Int
    /// The reader's failure (an I/O error, corrupt or over-inflating gzip), kept for the parser to
    /// rethrow: the cursor's own failures are typed and only say where the text stopped.
    private(set) var readerError: (any Error)?
    /// Set when one string or number (from the kept offset on) outgrew `maxTokenBytes`.
    private(set) var tokenTooLong = false
    var maxTokenMegabytes: Int { maxTokenBytes >> 20 }

    /// Lines counted in bytes already dropped from the window: how many newlines, and the absolute
    /// offset just after the last one (the start of the line the window starts in).
    private(set) var newlinesBeforeStart = 0
    private(set) var lineStartBeforeStart = 0

    init(maxTokenBytes: Int, reader: @escaping (UnsafeMutableRawPointer, Int) throws -> Int) {
        self.maxTokenBytes = max(maxTokenBytes, Self.chunkSize)
        self.reader = reader
        capacity = 2 * Self.chunkSize
        storage = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    }

    deinit { storage.deallocate() }

    /// A pointer `p` such that `p + offset` addresses the byte at absolute `offset` (valid for
    /// offsets in `start..<end` only). It may point before the allocation; it is only ever used with
    /// an offset that brings it back inside.
    var virtualBase: UnsafePointer<UInt8> { UnsafePointer(storage) - start }

    /// Drops the bytes before `keep` and reads more after `end`. False when nothing more came (the
    /// end of the input, a reader failure, or a token too long to hold).
    func advance(keeping keep: Int) -> Bool {
        guard !atEnd, readerError == nil, !tokenTooLong else { return false }
        let keep = min(max(keep, start), end)
        countLines(upTo: keep)
        let kept = end - keep
        if keep > start && kept > 0 { memmove(storage, storage + (keep - start), kept) }
        start = keep
        if capacity - kept < Self.chunkSize {
            guard kept <= maxTokenBytes else {
                tokenTooLong = true
                return false
            }
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: kept + 2 * Self.chunkSize)
            grown.update(from: storage, count: kept)
            storage.deallocate()
            storage = grown
            capacity = kept + 2 * Self.chunkSize
        } else if capacity > 2 * Self.chunkSize && kept <= Self.chunkSize {
            // Give back room grown for one long token.
            let shrunk = UnsafeMutablePointer<UInt8>.allocate(capacity: 2 * Self.chunkSize)
            shrunk.update(from: storage, count: kept)
            storage.deallocate()
            storage = shrunk
            capacity = 2 * Self.chunkSize
        }
        do {
            let count = try reader(storage + kept, capacity - kept)
            end = start + kept + count
            if count == 0 { atEnd = true }
            return count > 0
        } catch {
            readerError = error
            end = start + kept
            return false
        }
    }

    private func countLines(upTo keep: Int) {
        var cursor = UnsafeRawPointer(storage)
        let stop = UnsafeRawPointer(storage) + (keep - start)
        while cursor < stop, let hit = memchr(cursor, 0x0A, cursor.distance(to: stop)) {
            newlinesBeforeStart += 1
            cursor = UnsafeRawPointer(hit) + 1
            lineStartBeforeStart = start + UnsafeRawPointer(storage).distance(to: cursor)
        }
    }

    /// Line and column (1-based, in bytes) of an absolute offset; an offset already dropped is
    /// placed at the window's start.
    func locate(_ offset: Int) -> (line: Int, column: Int) {
        let target = min(max(offset, start), end)
        var newlines = newlinesBeforeStart
        var lineStart = lineStartBeforeStart
        var index = start
        while index < target {
            if storage[index - start] == 0x0A {
                newlines += 1
                lineStart = index + 1
            }
            index += 1
        }
        return (newlines + 1, target - lineStart + 1)
    }

    /// Lines in the whole input, once it has been read to its end.
    func lineCount() -> Int {
        var newlines = newlinesBeforeStart
        var lineStart = lineStartBeforeStart
        for index in start..<end where storage[index - start] == 0x0A {
            newlines += 1
            lineStart = index + 1
        }
        return newlines + (end > lineStart ? 1 : 0)
    }
}
