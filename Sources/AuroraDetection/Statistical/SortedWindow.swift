import AuroraCore

/// The last `capacity` values of a series, kept both in arrival order (to know which value leaves)
/// and sorted (for medians, quantiles and the MAD).
///
/// Sliding by one point is a binary search plus one `memmove` of the values between the leaving and
/// the arriving value's positions: O(log w) comparisons, and a move that is at most a few KB.
struct SortedWindow: Sendable, Equatable {
    let capacity: Int
    private(set) var sorted: [Double]
    private var arrival: [Double]
    private var head = 0
    private(set) var count = 0
    /// Sum and sum of squares relative to `shift`, for the standard deviation used as a scale floor.
    private var shift = 0.0
    private var sum = 0.0
    private var sumOfSquares = 0.0
    private var sinceRecentre = 0

    init(capacity: Int) {
        self.capacity = capacity
        sorted = [Double](repeating: 0, count: capacity)
        arrival = [Double](repeating: 0, count: capacity)
    }

    var isFull: Bool { count == capacity }

    /// Adds a value (never NaN: callers skip those), dropping the oldest when full.
    mutating func push(_ value: Double) {
        let shifted = value - shift
        if count == capacity {
            let old = arrival[head]
            arrival[head] = value
            let oldShifted = old - shift
            sum += shifted - oldShifted
            sumOfSquares += shifted * shifted - oldShifted * oldShifted
            replaceSorted(old, with: value)
        } else {
            if count == 0 { shift = value }
            let first = value - shift
            arrival[head] = value
            sum += first
            sumOfSquares += first * first
            insertSorted(value)
            count += 1
        }
        head += 1
        if head == capacity { head = 0 }
        sinceRecentre += 1
        if sinceRecentre >= capacity { recentre() }
    }

    /// Moves the `last` most recent values by `delta` (a level shift learnt after the fact). Rare,
    /// so it simply refills the window in arrival order.
    mutating func shiftAll(by delta: Double, last: Int) {
        let oldest = count == capacity ? head : 0
        let ordered = (0..<count).map { arrival[(oldest + $0) % capacity] }
        var refilled = SortedWindow(capacity: capacity)
        for (position, value) in ordered.enumerated() {
            refilled.push(position >= ordered.count - last ? value + delta : value)
        }
        self = refilled
    }

    private mutating func insertSorted(_ value: Double) {
        let used = count
        sorted.withUnsafeMutableBufferPointer { buffer in
            let position = Self.lowerBound(buffer, used, value)
            if position < used {
                let base = buffer.baseAddress!
                Self.move(used - position, from: base + position, to: base + position + 1)
            }
            buffer[position] = value
        }
    }

    private mutating func replaceSorted(_ old: Double, with value: Double) {
        let used = count
        sorted.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            let removeAt = Self.lowerBound(buffer, used, old)
            if value >= old {
                // Slide the values between the old and the new position one step left.
                var insertAt = Self.lowerBound(buffer, used, value)
                insertAt -= 1
                if insertAt > removeAt { Self.move(insertAt - removeAt, from: base + removeAt + 1, to: base + removeAt) }
                buffer[max(insertAt, removeAt)] = value
            } else {
                let insertAt = Self.lowerBound(buffer, used, value)
                if removeAt > insertAt { Self.move(removeAt - insertAt, from: base + insertAt, to: base + insertAt + 1) }
                buffer[insertAt] = value
            }
        }
    }

    /// Moves `count` values between overlapping places in one `memmove`. `update(from:count:)` compiles
    /// to an element-by-element loop with overflow checks here, which cost a sixth of `detect --emit
    /// scores` (measured with `perf`, the ensemble's magnitude window alone).
    @inline(__always)
    private static func move(_ count: Int, from source: UnsafeMutablePointer<Double>, to target: UnsafeMutablePointer<Double>) {
        UnsafeMutableRawPointer(target).copyMemory(from: source, byteCount: count &* MemoryLayout<Double>.stride)
    }

    /// First position whose value is not below `value`. Branch-free halving (the comparison turns
    /// into a conditional move), because on noisy data the branch of a classic binary search is a
    /// coin toss the predictor loses half the time.
    @inline(__always)
    private static func lowerBound(_ buffer: UnsafeMutableBufferPointer<Double>, _ count: Int, _ value: Double) -> Int {
        guard count > 0 else { return 0 }
        var base = 0
        var length = count
        while length > 1 {
            let half = length >> 1
            // Arithmetic select: written as a conditional the compiler emits a branch.
            base &+= half &* Int(unsafeBitCast(buffer[base + half] < value, to: UInt8.self))
            length -= half
        }
        return base + (buffer[base] < value ? 1 : 0)
    }

    private mutating func recentre() {
        sinceRecentre = 0
        guard count > 0 else { return }
        let newShift = shift + sum / Double(count)
        var newSum = 0.0
        var newSquares = 0.0
        for slot in 0..<count {
            let value = arrival[slot] - newShift
            newSum += value
            newSquares += value * value
        }
        (shift, sum, sumOfSquares) = (newShift, newSum, newSquares)
    }

    /// Population standard deviation of the window.
    var standardDeviation: Double {
        guard count > 1 else { return 0 }
        let mean = sum / Double(count)
        return max(0, sumOfSquares / Double(count) - mean * mean).squareRoot()
    }

    /// Sample standard deviation (divided by n − 1), the unbiased spread of a short window.
    var sampleStandardDeviation: Double {
        guard count > 1 else { return 0 }
        return standardDeviation * (Double(count) / Double(count - 1)).squareRoot()
    }

    /// Mean of the window.
    var mean: Double { count == 0 ? .nan : shift + sum / Double(count) }

    /// Linear-interpolated quantile, `p` in [0, 1].
    func quantile(_ p: Double) -> Double {
        guard count > 0 else { return .nan }
        let position = p * Double(count - 1)
        let lower = Int(position)
        let upper = min(lower + 1, count - 1)
        let fraction = position - Double(lower)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
    }

    /// Median and median absolute deviation, by selection over the two sorted halves around the
    /// median (their deviations are already sorted, read outward from the middle).
    func medianAndMAD() -> (median: Double, mad: Double) {
        guard count > 0 else { return (.nan, .nan) }
        if count == 1 { return (sorted[0], 0) }
        return sorted.withUnsafeBufferPointer { buffer in
            let n = count
            let half = n / 2
            let median = n % 2 == 1 ? buffer[half] : (buffer[half - 1] + buffer[half]) / 2
            let lowerCount = half
            let upperCount = n - half
            // k-th smallest (0-based) of {median - a[half-1-j]} ∪ {a[half+j] - median}, and the
            // one after it (for even counts), by a branch-free search for how many come from below.
            @inline(__always) func lowerDeviation(_ j: Int) -> Double { median - buffer[half - 1 - j] }
            @inline(__always) func upperDeviation(_ j: Int) -> Double { buffer[half + j] - median }
            func kthAndNext(_ k: Int) -> (Double, Double) {
                // takesMore(t) is 1 while, with t taken from below, the next lower deviation is
                // still smaller than the last upper one taken (the split lies further on), then 0.
                // Indices are clamped so the comparison is always a valid read, and the three
                // conditions are combined as bits: a branch here is mispredicted half the time.
                @inline(__always) func takesMore(_ taken: Int) -> Int {
                    let fromUpper = k + 1 - taken
                    let inLower = unsafeBitCast(taken < lowerCount, to: UInt8.self)
                    let inUpper = unsafeBitCast(fromUpper > 0, to: UInt8.self)
                    let smaller = unsafeBitCast(
                        lowerDeviation(min(taken, lowerCount - 1)) < upperDeviation(max(fromUpper - 1, 0)), to: UInt8.self)
                    return Int(inLower & inUpper & smaller)
                }
                var first = max(0, k + 1 - upperCount)
                var length = min(k + 1, lowerCount) - first + 1
                while length > 1 {
                    let step = length >> 1
                    first &+= step &* takesMore(first + step - 1)
                    length -= step
                }
                let taken = first + takesMore(first)
                let fromUpper = k + 1 - taken
                let kth = max(taken > 0 ? lowerDeviation(taken - 1) : -Double.infinity,
                              fromUpper > 0 ? upperDeviation(fromUpper - 1) : -Double.infinity)
                let next = min(taken < lowerCount ? lowerDeviation(taken) : Double.infinity,
                               fromUpper < upperCount ? upperDeviation(fromUpper) : Double.infinity)
                return (kth, next)
            }
            let mad: Double
            if n % 2 == 1 {
                mad = kthAndNext(half).0
            } else {
                let (lower, upper) = kthAndNext(half - 1)
                mad = (lower + upper) / 2
            }
            return (median, mad)
        }
    }

    /// Writes the window compactly (the layout of detector states since the compact encoding): only the
    /// slots in use, and the sorted copy as the rank of each value in arrival order (two bytes a value
    /// instead of eight), rebuilt exactly on restore. A window this cannot describe exactly (a NaN, a
    /// -0 among +0s in another order, more than 65,536 values, or unused slots that are not zero) is
    /// written whole instead, behind a mode byte.
    func writeCompact(to writer: inout StateWriter) {
        writer.write(varint: UInt64(capacity))
        writer.write(varint: UInt64(head))
        writer.write(varint: UInt64(count))
        writer.write(shift)
        writer.write(sum)
        writer.write(sumOfSquares)
        writer.write(varint: UInt64(sinceRecentre))
        guard let ranks = arrivalRanks() else {
            writer.write(varint: Self.wholeMode)
            writer.write(raw: arrival[...])
            writer.write(raw: sorted[...])
            return
        }
        writer.write(varint: Self.rankedMode)
        writer.write(raw: arrival[..<count])
        writer.write(uint16: ranks)
    }

    private static let rankedMode: UInt64 = 0
    private static let wholeMode: UInt64 = 1

    /// The position in `sorted` of each value in `arrival[..<count]` (equal values in arrival order),
    /// or nil when the sorted copy cannot be rebuilt from them bit for bit.
    private func arrivalRanks() -> [UInt16]? {
        guard capacity <= 1 << 16 else { return nil }
        let zero = 0.0.bitPattern
        for slot in count..<capacity where arrival[slot].bitPattern != zero || sorted[slot].bitPattern != zero { return nil }
        let used = count
        // The first sorted position of each bit pattern, in an open-addressing table twice the window's
        // size: two hashed passes instead of a binary search per value (a state is saved every few dozen
        // points of every series, and the searches were most of the saving).
        var size = 1
        while size < 2 * max(used, 1) { size <<= 1 }
        let mask = size - 1
        var keys = [UInt64](repeating: 0, count: size)
        var firsts = [Int32](repeating: -1, count: size)
        // How many values already took a position from each first position: equal values, adjacent once
        // sorted, take consecutive positions in arrival order.
        var taken = [UInt16](repeating: 0, count: used)
        var exact = true
        let ranks = [UInt16](unsafeUninitializedCapacity: used) { ranks, initialized in
            keys.withUnsafeMutableBufferPointer { keys in
            firsts.withUnsafeMutableBufferPointer { firsts in
            taken.withUnsafeMutableBufferPointer { taken in
            sorted.withUnsafeBufferPointer { sorted in
            arrival.withUnsafeBufferPointer { arrival in
                @inline(__always) func home(_ bits: UInt64) -> Int { Int(truncatingIfNeeded: (bits &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask }
                for position in 0..<used {
                    let bits = sorted[position].bitPattern
                    var slot = home(bits)
                    while firsts[slot] >= 0, keys[slot] != bits { slot = (slot &+ 1) & mask }
                    if firsts[slot] < 0 {
                        keys[slot] = bits
                        firsts[slot] = Int32(position)
                    }
                }
                for index in 0..<used {
                    let bits = arrival[index].bitPattern
                    var slot = home(bits)
                    while firsts[slot] >= 0, keys[slot] != bits { slot = (slot &+ 1) & mask }
                    let first = Int(firsts[slot])
                    guard first >= 0 else { exact = false; break }
                    let rank = first &+ Int(taken[first])
                    // Equal bits apart in the sorted copy (-0 among +0s, NaNs): not describable by ranks.
                    guard rank < used, sorted[rank].bitPattern == bits else { exact = false; break }
                    taken[first] &+= 1
                    ranks[index] = UInt16(truncatingIfNeeded: rank)
                }
            }
            }
            }
            }
            }
            initialized = used
        }
        return exact ? ranks : nil
    }

    /// Reads a window written by `writeCompact(to:)`; throws unless it is consistent (every rank used once).
    static func readCompact(from reader: inout StateReader, capacity: Int, owner: String) throws -> SortedWindow {
        let saved = try reader.readVarint()
        guard saved == UInt64(capacity) else {
            throw DetectionError.stateMismatch(detector: owner, reason: "saved with window \(saved), configured \(capacity)")
        }
        var window = SortedWindow(capacity: capacity)
        window.head = try reader.readVarint(atMost: capacity - 1)
        window.count = try reader.readVarint(atMost: capacity)
        window.shift = try reader.readDouble()
        window.sum = try reader.readDouble()
        window.sumOfSquares = try reader.readDouble()
        window.sinceRecentre = try reader.readVarint(atMost: Int(Int32.max))
        switch try reader.readVarint() {
        case wholeMode:
            try reader.readRaw(capacity, into: &window.arrival)
            try reader.readRaw(capacity, into: &window.sorted)
        case rankedMode:
            let count = window.count
            try reader.readRaw(count, into: &window.arrival)
            let ranks = try reader.readUInt16s(count)
            let arrival = window.arrival
            // Plain pointers: a watcher restores ten thousand windows a pass, and the checked, copy-on-write
            // element writes were most of this loop.
            let consistent = ranks.withUnsafeBufferPointer { ranks in
                arrival.withUnsafeBufferPointer { arrival in
                    window.sorted.withUnsafeMutableBufferPointer { sorted in
                        withUnsafeTemporaryAllocation(of: Bool.self, capacity: count) { seen in
                            seen.initialize(repeating: false)
                            for slot in 0..<count {
                                let position = Int(ranks[slot])
                                guard position < count, !seen[position] else { return false }
                                seen[position] = true
                                sorted[position] = arrival[slot]
                            }
                            return true
                        }
                    }
                }
            }
            guard consistent else { throw reader.inconsistent("inconsistent window ranks") }
        default:
            throw reader.inconsistent("unknown window layout")
        }
        return window
    }

    /// Writes the window whole (the layout of detector states before the compact encoding; still read).
    func write(to writer: inout StateWriter) {
        writer.write(capacity)
        writer.write(head)
        writer.write(count)
        writer.write(shift)
        writer.write(sum)
        writer.write(sumOfSquares)
        writer.write(sinceRecentre)
        writer.write(arrival)
        writer.write(sorted)
    }

    static func read(from reader: inout StateReader, capacity: Int, owner: String) throws -> SortedWindow {
        let saved = try reader.readInt()
        guard saved == capacity else {
            throw DetectionError.stateMismatch(detector: owner, reason: "saved with window \(saved), configured \(capacity)")
        }
        var window = SortedWindow(capacity: capacity)
        window.head = try reader.readInt()
        window.count = try reader.readInt()
        window.shift = try reader.readDouble()
        window.sum = try reader.readDouble()
        window.sumOfSquares = try reader.readDouble()
        window.sinceRecentre = try reader.readInt()
        window.arrival = try reader.readDoubles()
        window.sorted = try reader.readDoubles()
        guard window.arrival.count == capacity, window.sorted.count == capacity,
              (0..<capacity).contains(window.head), (0...capacity).contains(window.count), window.sinceRecentre >= 0 else {
            throw DetectionError.stateMismatch(detector: owner, reason: "inconsistent window bookkeeping")
        }
        return window
    }
}
