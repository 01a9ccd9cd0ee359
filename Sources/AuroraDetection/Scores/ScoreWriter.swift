import AuroraCore

/// Writes `--emit scores` CSV fast: numbers and timestamps formatted by hand straight into one
/// preallocated byte buffer, flushed in large blocks. Printing a row through `String` (or even
/// appending digits to an `Array`) costs more than scoring it.
///
/// Internal on purpose (only `ScoreStream` writes through it): with every access to `count` visible
/// inside the module, the optimiser drops the dynamic exclusivity checks that a `package` class pays on
/// each byte (measured: a quarter of `detect --emit scores` throughput).
final class ScoreWriter {
    private static let capacity = 1 << 20
    /// Room one row may need at most (a series label is written separately, with its own check).
    private static let rowReserve = 128
    private let storage: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    /// "00" … "99": two digits per table lookup instead of a division per digit.
    private let pairs: UnsafeMutablePointer<UInt8>
    /// The day of the last timestamp and its `YYYY-MM-DD ` text: rows of one day share it.
    private var cachedDay = Int64.min
    private var cachedDate: (UInt64, UInt16, UInt8) = (0, 0, 0)

    init() {
        storage = .allocate(capacity: Self.capacity)
        pairs = .allocate(capacity: 200)
        for value in 0..<100 {
            pairs[2 * value] = UInt8(48 + value / 10)
            pairs[2 * value + 1] = UInt8(48 + value % 10)
        }
    }

    // Both buffers are owned by this object alone and freed exactly once, here.
    deinit {
        storage.deallocate()
        pairs.deallocate()
    }

    @inline(__always) private func pair(_ value: Int64) {
        let index = Int(value) * 2
        storage[count] = pairs[index]
        storage[count + 1] = pairs[index + 1]
        count += 2
    }

    /// True when another row might not fit: write `bytes` out and `clear()`.
    var isFull: Bool { count > Self.capacity - Self.rowReserve }

    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: storage, count: count) }

    func clear() { count = 0 }

    func text(_ string: String) {
        var copy = string
        copy.withUTF8 { utf8 in
            // Long labels go out in pieces; callers flush when `isFull`, so there is always room for one row.
            for byte in utf8 {
                if count == Self.capacity { return }
                storage[count] = byte
                count += 1
            }
        }
    }

    @inline(__always) func byte(_ value: UInt8) {
        storage[count] = value
        count += 1
    }

    /// Exactly `width` digits of a non-negative value (leading zeros kept).
    @inline(__always) private func fixed(_ value: Int64, width: Int) {
        var remaining = value
        var position = count + width - 1
        while position >= count {
            storage[position] = UInt8(truncatingIfNeeded: 48 + remaining % 10)
            remaining /= 10
            position -= 1
        }
        count += width
    }

    /// The digits of a non-negative integer below 10¹⁹, as few as needed: the width found by
    /// comparisons, then written right to left two at a time straight into place (no copy, no call).
    @inline(__always) private func digits(_ value: UInt64) {
        var width = 1
        var bound: UInt64 = 10
        while width < 19 && value >= bound {
            width += 1
            bound &*= 10
        }
        var remaining = value
        var position = count + width
        while remaining >= 100 {
            let index = Int(remaining % 100) * 2
            remaining /= 100
            position -= 2
            storage[position] = pairs[index]
            storage[position + 1] = pairs[index + 1]
        }
        if remaining >= 10 {
            storage[position - 2] = pairs[Int(remaining) * 2]
            storage[position - 1] = pairs[Int(remaining) * 2 + 1]
        } else {
            storage[position - 1] = UInt8(truncatingIfNeeded: 48 + remaining)
        }
        count += width
    }

    /// `YYYY-MM-DD HH:MM:SS` in UTC, NAB's layout (milliseconds are dropped, as NAB has none).
    func timestamp(_ milliseconds: Int64) {
        let seconds = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
        let dayNumber = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let secondOfDay = seconds - dayNumber * 86400
        if dayNumber != cachedDay {
            let start = count
            date(dayNumber)
            byte(0x20)
            withUnsafeMutableBytes(of: &cachedDate) { raw in
                raw.copyMemory(from: UnsafeRawBufferPointer(start: storage + start, count: 11))
            }
            cachedDay = dayNumber
        } else {
            withUnsafeBytes(of: cachedDate) { raw in
                (storage + count).withMemoryRebound(to: UInt8.self, capacity: 11) { target in
                    for index in 0..<11 { target[index] = raw[index] }
                }
            }
            count += 11
        }
        pair(secondOfDay / 3600); byte(0x3A)
        pair(secondOfDay / 60 % 60); byte(0x3A)
        pair(secondOfDay % 60)
    }

    /// `YYYY-MM-DD` for days since 1970-01-01 (Howard Hinnant's civil-from-days algorithm).
    private func date(_ dayNumber: Int64) {
        let days = dayNumber + 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let dayOfEra = days - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        var year = yearOfEra + era * 400
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPrime = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthPrime + 2) / 5 + 1
        let month = monthPrime < 10 ? monthPrime + 3 : monthPrime - 9
        if month <= 2 { year += 1 }
        fixed(min(max(year, 0), 9999), width: 4); byte(0x2D); pair(month); byte(0x2D); pair(day)
    }

    /// A number rounded to 6 decimals: integers without a fraction, trailing zeros cut. Rounding
    /// half up by truncating `x·10⁶ + 0.5` avoids a libm call per value.
    /// Values too small for 6 decimals are printed exactly; `score` rounds them to 0 instead.
    func number(_ value: Double, tinyAsZero: Bool = false) {
        guard value.isFinite else {
            text(value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf"))
            return
        }
        let magnitude = value < 0 ? -value : value
        if magnitude >= 1e12 || (!tinyAsZero && magnitude < 1e-6 && magnitude > 0) {
            text(value.description)
            return
        }
        let scaled = UInt64(magnitude * 1_000_000 + 0.5)
        if scaled == 0 {
            byte(0x30)
            return
        }
        if value < 0 { byte(0x2D) }
        let whole = scaled / 1_000_000
        let fraction = scaled - whole * 1_000_000
        // Metric values and scores are mostly below 100: one byte or one pair, no digit loop.
        if whole < 10 {
            byte(UInt8(truncatingIfNeeded: 48 + whole))
        } else if whole < 100 {
            pair(Int64(whole))
        } else {
            digits(whole)
        }
        guard fraction > 0 else { return }
        // All six decimals as three pairs, then trailing zeros dropped by looking at the bytes (a
        // comparison per zero instead of a division); fraction > 0 stops the scan before the point.
        let high = fraction / 10_000
        let rest = fraction - high * 10_000
        let middle = rest / 100
        storage[count] = 0x2E
        count += 1
        pair(Int64(high))
        pair(Int64(middle))
        pair(Int64(rest - middle * 100))
        while storage[count - 1] == 0x30 { count -= 1 }
    }

    /// An anomaly score in [0, 1], to 6 decimals (values below half a millionth print as 0). Half of
    /// every row is a score, so it skips the general number's sign, magnitude and integer-part work.
    func score(_ value: Double) {
        guard value > 0 && value < 1 else {
            // 0, 1, and anything out of range (never produced, but printed honestly).
            if value == 0 { byte(0x30) } else if value == 1 { byte(0x31) } else { number(value, tinyAsZero: true) }
            return
        }
        let scaled = Int(value * 1_000_000 + 0.5)
        if scaled == 0 {
            byte(0x30)
            return
        }
        if scaled == 1_000_000 {
            byte(0x31)
            return
        }
        let high = scaled / 10_000
        let rest = scaled - high * 10_000
        let middle = rest / 100
        storage[count] = 0x30
        storage[count + 1] = 0x2E
        count += 2
        pair(Int64(high))
        pair(Int64(middle))
        pair(Int64(rest - middle * 100))
        while storage[count - 1] == 0x30 { count -= 1 }
    }
}
