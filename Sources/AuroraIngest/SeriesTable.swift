import AuroraCore
import Foundation

/// Points of one series while an input is read: two growing flat arrays plus counters.
struct SeriesBuilder {
    private(set) var key: SeriesKey
    /// False when `--match` rejected the series: its points are dropped on arrival.
    private(set) var accepted: Bool
    /// Whether `--rate` applies (a counter by `# TYPE` or by naming convention).
    var isCounter: Bool
    var timestamps: [Int64] = []
    var values: [Double] = []
    var lastTimestamp = Int64.min
    var inOrder = true
    var nonFinite = 0
    var outsideWindow = 0
    var inputs: [String] = []
    /// Points already handed to a streaming reader and dropped from the arrays.
    var delivered = 0
    /// The smallest and largest timestamps delivered so far.
    var deliveredRange: ClosedRange<Int64>?

    /// Renames the series (`SameNamedFiles`); a series `--match` now rejects keeps none of its points.
    mutating func relabel(_ key: SeriesKey, accepted: Bool) {
        self.key = key
        if self.accepted && !accepted { (timestamps, values) = ([], []) }
        self.accepted = self.accepted && accepted
    }
}

/// The series of one input (or of a whole ingestion, after inputs are absorbed), found by key.
///
/// Text formats repeat the same series identity on every line. Building a `SeriesKey` (strings, a
/// sorted label array) per line would cost more than parsing, so parsers hash the raw bytes that
/// name the series and look the slot up by hash; the key is built only the first time those bytes
/// are seen. Stored raw bytes are compared on every hit, so a hash collision can never merge series.
struct SeriesTable {
    var builders: [SeriesBuilder] = []
    private var slotByKey: [SeriesKey: Int] = [:]
    private var slotByHash: [UInt64: (slot: Int, raw: [UInt8])] = [:]
    private var lastHash: UInt64 = 0
    private var lastSlot = -1
    private var lastRaw: [UInt8] = []
    let since: Int64
    let until: Int64
    let keepFileOrder: Bool
    let selectors: [SeriesSelector]
    /// The options the table was made with (a relabelled copy is made with the same).
    let options: IngestOptions

    init(options: IngestOptions) {
        self.options = options
        since = options.keepFileOrder ? .min : (options.since ?? .min)
        until = options.keepFileOrder ? .max : (options.until ?? .max)
        keepFileOrder = options.keepFileOrder
        selectors = options.match
    }

    /// The slot of a key, creating it (and deciding selection) on first sight.
    mutating func slot(for key: SeriesKey, isCounter: Bool) -> Int {
        if let existing = slotByKey[key] { return existing }
        let accepted = selectors.isEmpty || selectors.contains { $0.matches(key) }
        builders.append(SeriesBuilder(key: key, accepted: accepted, isCounter: isCounter))
        slotByKey[key] = builders.count - 1
        return builders.count - 1
    }

    /// The slot for raw identity bytes, calling `makeKey` only for bytes not seen before.
    @inline(__always)
    mutating func slot(raw: UnsafeRawBufferPointer, hash: UInt64,
                       makeKey: () throws -> (SeriesKey, Bool)) rethrows -> Int {
        if hash == lastHash && lastSlot >= 0 && RawKeyHash.equal(lastRaw, raw) { return lastSlot }
        if let cached = slotByHash[hash], RawKeyHash.equal(cached.raw, raw) {
            lastHash = hash
            lastSlot = cached.slot
            lastRaw = cached.raw
            return cached.slot
        }
        let (key, isCounter) = try makeKey()
        let found = slot(for: key, isCounter: isCounter)
        if slotByHash[hash] == nil { slotByHash[hash] = (found, Array(raw)) }
        lastHash = hash
        lastSlot = found
        lastRaw = Array(raw)
        return found
    }

    /// Forgets the look-up indexes once every input is read: finishing needs only the builders, and the
    /// indexes of a million series are tens of megabytes that would otherwise stay alive beside the result.
    mutating func releaseIndexes() {
        slotByKey = [:]
        slotByHash = [:]
        lastRaw = []
        lastSlot = -1
    }

    /// Sizes a series' arrays once when the number of points is known in advance (at most 1G points,
    /// so a wrong guess cannot ask for absurd memory).
    mutating func reserve(slot: Int, count: Int) {
        guard count > 0, builders[slot].accepted else { return }
        let capped = min(count, 1 << 30)
        builders[slot].timestamps.reserveCapacity(capped)
        builders[slot].values.reserveCapacity(capped)
    }

    /// Adds a point; non-finite values and points outside the window are counted, not stored.
    @inline(__always)
    mutating func append(slot: Int, timestamp: Int64, value: Double) {
        builders.withUnsafeMutableBufferPointer { all in
            guard all[slot].accepted else { return }
            if !keepFileOrder {
                if !value.isFinite {
                    all[slot].nonFinite += 1
                    return
                }
                if timestamp < since || timestamp >= until {
                    all[slot].outsideWindow += 1
                    return
                }
            } else if !value.isFinite {
                all[slot].nonFinite += 1
            }
            if timestamp < all[slot].lastTimestamp { all[slot].inOrder = false }
            all[slot].lastTimestamp = timestamp
            all[slot].timestamps.append(timestamp)
            all[slot].values.append(value)
        }
    }

    /// Hands the points gathered so far for `slot` to `body`, then forgets them (keeping the arrays'
    /// room for the next chunk): a streaming reader holds one chunk of points, not the whole input.
    mutating func drain(slot: Int, _ body: (UnsafeBufferPointer<Int64>, UnsafeBufferPointer<Double>) throws -> Void) rethrows {
        guard builders[slot].accepted, !builders[slot].timestamps.isEmpty else { return }
        var timestamps: [Int64] = []
        var values: [Double] = []
        swap(&timestamps, &builders[slot].timestamps)
        swap(&values, &builders[slot].values)
        defer {
            timestamps.removeAll(keepingCapacity: true)
            values.removeAll(keepingCapacity: true)
            swap(&timestamps, &builders[slot].timestamps)
            swap(&values, &builders[slot].values)
        }
        var low = timestamps[0], high = timestamps[0]
        for timestamp in timestamps {
            low = min(low, timestamp)
            high = max(high, timestamp)
        }
        if let range = builders[slot].deliveredRange {
            low = min(low, range.lowerBound)
            high = max(high, range.upperBound)
        }
        builders[slot].deliveredRange = low...high
        builders[slot].delivered += timestamps.count
        try timestamps.withUnsafeBufferPointer { times in
            try values.withUnsafeBufferPointer { try body(times, $0) }
        }
    }

    /// Counts a non-finite value for a slot without a timestamp (a JSON `null`).
    mutating func countNonFinite(slot: Int) {
        if builders[slot].accepted { builders[slot].nonFinite += 1 }
    }

    /// Moves another table's series into this one (inputs are read into their own table, then merged).
    mutating func absorb(_ other: inout SeriesTable, inputName: String) {
        // One array for every series of this input (copy-on-write shares it), not one each.
        let inputs = [inputName]
        if builders.isEmpty {
            // The first input: take its table whole instead of building a second index of its keys.
            for index in other.builders.indices { other.builders[index].inputs = inputs }
            swap(&self, &other)
            other.builders.removeAll()
            other.slotByKey = [:]
            other.slotByHash = [:]
            return
        }
        for index in other.builders.indices {
            var incoming = other.builders[index]
            other.builders[index].timestamps = []
            other.builders[index].values = []
            let target = slot(for: incoming.key, isCounter: incoming.isCounter)
            if builders[target].timestamps.isEmpty && builders[target].nonFinite == 0 && builders[target].outsideWindow == 0
                && builders[target].inputs.isEmpty {
                incoming.inputs = inputs
                builders[target] = incoming
                continue
            }
            builders[target].inputs.append(inputName)
            builders[target].isCounter = builders[target].isCounter || incoming.isCounter
            if let first = incoming.timestamps.first, first < builders[target].lastTimestamp { builders[target].inOrder = false }
            builders[target].inOrder = builders[target].inOrder && incoming.inOrder
            builders[target].timestamps.append(contentsOf: incoming.timestamps)
            builders[target].values.append(contentsOf: incoming.values)
            builders[target].lastTimestamp = max(builders[target].lastTimestamp, incoming.lastTimestamp)
            builders[target].nonFinite += incoming.nonFinite
            builders[target].outsideWindow += incoming.outsideWindow
        }
        other.builders.removeAll()
    }
}

/// A fast, word-at-a-time hash of the raw bytes naming a series.
enum RawKeyHash {
    @inline(__always)
    static func hash(_ base: UnsafeRawPointer, _ count: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> UInt64 {
        var hash = seed ^ UInt64(truncatingIfNeeded: count)
        var index = 0
        while index + 8 <= count {
            let word = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            hash = (hash ^ word) &* 0x0000_0100_0000_01B3
            hash ^= hash >> 29
            index += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while index < count {
            tail |= UInt64(base.load(fromByteOffset: index, as: UInt8.self)) << shift
            shift += 8
            index += 1
        }
        hash = (hash ^ tail) &* 0x0000_0100_0000_01B3
        hash ^= hash >> 32
        return hash
    }

    /// Whether stored raw bytes equal the current ones.
    @inline(__always)
    static func equal(_ stored: [UInt8], _ raw: UnsafeRawBufferPointer) -> Bool {
        guard stored.count == raw.count else { return false }
        if raw.count == 0 { return true }
        return stored.withUnsafeBytes { storedBytes in
            guard let storedBase = storedBytes.baseAddress, let rawBase = raw.baseAddress else { return false }
            return memcmp(storedBase, rawBase, raw.count) == 0
        }
    }
}
