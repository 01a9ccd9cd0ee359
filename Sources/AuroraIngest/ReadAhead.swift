import AuroraCore
import Foundation

/// `streamRows` with the reading on a thread of its own: the input is parsed one chunk ahead while
/// `body` works on the previous one, on the calling thread, in file order.
///
/// Parsing is about a third of `detect --emit scores` around a z-score; overlapped with scoring and
/// writing, it leaves the critical path on any machine with a second core. At most `depth` blocks
/// (one 4 MiB chunk of rows each) wait between the two, so memory stays flat however long the input.
///
/// The contract is `streamRows`' own: blocks arrive in order, a malformed row throws its
/// `LocatedError` after the blocks before it were delivered, and an error thrown by `body` stops the
/// reading and is rethrown once the reading thread has finished (no thread outlives the call).
package func streamRowsReadingAhead(_ input: InputSource, options: IngestOptions = IngestOptions(), depth: Int = 3,
                                    _ body: (RowBlock) throws -> Void) throws -> StreamedRows {
    let channel = BlockChannel(depth: max(1, depth))
    Thread.detachNewThread {
        let outcome = Result {
            try streamRows(input, options: options) { block in
                var owned = channel.spare() ?? OwnedRowBlock()
                owned.fill(from: block)
                guard channel.put(owned) else { throw BlockChannel.Stopped() }
            }
        }
        channel.finish(outcome)
    }
    while let block = channel.take() {
        do {
            try block.timestamps.withUnsafeBufferPointer { timestamps in
                try block.values.withUnsafeBufferPointer { values in
                    try body(RowBlock(key: block.key, timestamps: timestamps, values: values))
                }
            }
        } catch {
            channel.stop()
            _ = channel.outcome()
            throw error
        }
        channel.recycle(block)
    }
    return try channel.outcome().get()
}

/// A block's rows copied out of the parser's buffers, to cross to the consuming thread. Its arrays
/// go back and forth between the threads: fresh megabyte-sized arrays for every block cost more in
/// page faults than the copy itself.
private struct OwnedRowBlock: Sendable {
    var key = SeriesKey(name: "")
    var timestamps: [Int64] = []
    var values: [Double] = []

    mutating func fill(from block: RowBlock) {
        key = block.key
        timestamps.removeAll(keepingCapacity: true)
        timestamps.append(contentsOf: block.timestamps)
        values.removeAll(keepingCapacity: true)
        values.append(contentsOf: block.values)
    }
}

/// A bounded first-in-first-out hand-over from one reading thread to one consumer, then the
/// reading's outcome. Every field is read and written only while `condition` is locked.
private final class BlockChannel: @unchecked Sendable {
    /// Thrown inside the reading thread when the consumer has stopped taking blocks.
    struct Stopped: Error {}

    private let condition = NSCondition()
    private let depth: Int
    private var waiting: [OwnedRowBlock] = []
    private var returned: [OwnedRowBlock] = []
    private var finished: Result<StreamedRows, any Error>?
    private var stopped = false

    init(depth: Int) { self.depth = depth }

    /// Waits for room and queues `block`; false once the consumer has stopped.
    func put(_ block: OwnedRowBlock) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while waiting.count >= depth && !stopped { condition.wait() }
        guard !stopped else { return false }
        waiting.append(block)
        condition.broadcast()
        return true
    }

    /// The next block, or nil when the reading has finished and every block was taken.
    func take() -> OwnedRowBlock? {
        condition.lock()
        defer { condition.unlock() }
        while waiting.isEmpty && finished == nil { condition.wait() }
        guard !waiting.isEmpty else { return nil }
        let block = waiting.removeFirst()
        condition.broadcast()
        return block
    }

    /// A consumed block, whose arrays the reader may fill again.
    func recycle(_ block: OwnedRowBlock) {
        condition.lock()
        if returned.count < depth + 1 { returned.append(block) }
        condition.unlock()
    }

    /// A consumed block to fill, if one is back.
    func spare() -> OwnedRowBlock? {
        condition.lock()
        defer { condition.unlock() }
        return returned.popLast()
    }

    /// The consumer takes no more blocks: a reader waiting for room gives up.
    func stop() {
        condition.lock()
        stopped = true
        waiting.removeAll()
        condition.broadcast()
        condition.unlock()
    }

    /// Called once by the reading thread as its last act.
    func finish(_ outcome: Result<StreamedRows, any Error>) {
        condition.lock()
        finished = outcome
        condition.broadcast()
        condition.unlock()
    }

    /// Waits for the reading thread to finish and returns how it ended.
    func outcome() -> Result<StreamedRows, any Error> {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let finished { return finished }
            condition.wait()
        }
    }
}
