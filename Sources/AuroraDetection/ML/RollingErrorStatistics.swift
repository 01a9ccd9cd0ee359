/// Mean and standard deviation of the last `capacity` forecast errors, so a new error is judged
/// against how wrong the forecaster has recently been (scale-free and self-adjusting to noise).
///
/// Sums are updated incrementally and recomputed from the ring each time it wraps, so rounding
/// drift never accumulates.
struct RollingErrorStatistics: Sendable, Equatable {
    let capacity: Int
    private(set) var ring: [Double]
    private(set) var head = 0
    private(set) var count = 0
    private var sum = 0.0
    private var squares = 0.0
    /// The largest error in the window; rescanned only when that error leaves it.
    private(set) var maximum = 0.0

    init(capacity: Int) {
        self.capacity = capacity
        ring = [Double](repeating: 0, count: capacity)
    }

    var mean: Double { count > 0 ? sum / Double(count) : 0 }


    var standardDeviation: Double {
        guard count > 1 else { return 0 }
        let m = sum / Double(count)
        return max(squares / Double(count) - m * m, 0).squareRoot()
    }

    mutating func add(_ error: Double) {
        var evictedMaximum = false
        if count == capacity {
            let old = ring[head]
            sum -= old
            squares -= old * old
            evictedMaximum = old >= maximum
        } else {
            count += 1
        }
        ring[head] = error
        sum += error
        squares += error * error
        if evictedMaximum {
            rescanMaximum()
        } else if error > maximum {
            maximum = error
        }
        head += 1
        if head == capacity {
            head = 0
            sum = 0
            squares = 0
            for k in 0..<count {
                sum += ring[k]
                squares += ring[k] * ring[k]
            }
        }
    }

    private mutating func rescanMaximum() {
        var largest = 0.0
        for k in 0..<count { largest = max(largest, ring[k]) }
        maximum = largest
    }

    func encode(into writer: inout ModelStateWriter) {
        writer.append(ring)
        writer.append(head)
        writer.append(count)
        writer.append(sum)
        writer.append(squares)
    }

    mutating func decode(from reader: inout ModelStateReader) throws {
        ring = try reader.readDoubles(expected: capacity)
        head = try reader.readInt()
        count = try reader.readInt()
        sum = try reader.readDouble()
        squares = try reader.readDouble()
        guard (0..<capacity).contains(head), (0...capacity).contains(count) else {
            throw reader.failure("error window out of range")
        }
        rescanMaximum()
    }
}
