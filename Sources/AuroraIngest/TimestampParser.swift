import AuroraCore

/// Turns the timestamp layouts operators' dumps contain into Unix milliseconds, from raw bytes.
///
/// Accepted: ISO 8601 (`2024-03-01T12:00:00Z`, `…T12:00:00.250+02:00`, `…+0200`, date only) where a
/// missing zone means UTC; NAB's `YYYY-MM-DD HH:MM:SS`; and Unix epoch numbers whose unit is told by
/// magnitude: below 10^11 seconds (until the year 5138), below 10^14 milliseconds, below 10^17
/// microseconds, else nanoseconds. Fractions are kept to the millisecond (truncated toward the past).
package enum TimestampParser {
    /// The text shown after an invalid timestamp, naming what would have been accepted.
    static let expected = "expected ISO 8601, 'YYYY-MM-DD HH:MM:SS' or Unix seconds/milliseconds/microseconds/nanoseconds"

    /// Parses a timestamp written as text; nil when it is none of the accepted layouts.
    package static func parse(_ text: String) -> Int64? {
        var copy = text
        return copy.withUTF8 { buffer in
            guard let base = buffer.baseAddress else { return nil }
            return parse(base, buffer.count)
        }
    }

    /// Parses bytes `base[0..<count]` (already trimmed of quotes).
    @inline(__always)
    static func parse(_ base: UnsafePointer<UInt8>, _ count: Int) -> Int64? {
        var cache = DayCache()
        return parse(base, count, cache: &cache)
    }

    /// Parses with a cache of the last calendar date: consecutive rows of a dump share their date, so
    /// the date is validated and converted once per day instead of once per row.
    @inline(__always)
    static func parse(_ base: UnsafePointer<UInt8>, _ count: Int, cache: inout DayCache) -> Int64? {
        if count >= 10 && base[4] == UInt8(ascii: "-") { return parseCalendar(base, count, cache: &cache) }
        return parseEpoch(base, count)
    }

    /// The last `YYYY-MM-DD` seen (its ten bytes) and its day number.
    struct DayCache {
        var head: UInt64 = 0
        var tail: UInt16 = 0
        var days = Int.min
    }

    /// Converts epoch seconds (possibly fractional, as in Prometheus API JSON) to milliseconds.
    static func milliseconds(fromSeconds seconds: Double) -> Int64? {
        guard seconds.isFinite, abs(seconds) < 9.2e15 else { return nil }
        return Int64((seconds * 1000).rounded(.down))
    }

    /// Chooses the unit of an epoch number by its magnitude and returns milliseconds.
    static func milliseconds(fromEpoch number: Double) -> Int64? {
        guard number.isFinite else { return nil }
        let magnitude = abs(number)
        let millis: Double
        if magnitude < 1e11 { millis = number * 1000 } else if magnitude < 1e14 { millis = number } else if magnitude < 1e17 {
            millis = number / 1000
        } else { millis = number / 1_000_000 }
        guard abs(millis) < 9.2e18 else { return nil }
        return Int64(millis.rounded(.down))
    }

    @inline(__always)
    private static func parseEpoch(_ base: UnsafePointer<UInt8>, _ count: Int) -> Int64? {
        var index = 0
        var negative = false
        if count > 0 && base[0] == UInt8(ascii: "-") {
            negative = true
            index = 1
        }
        let digitsStart = index
        var whole: Int64 = 0
        while index < count {
            let digit = base[index] &- 48
            if digit > 9 { break }
            if index - digitsStart >= 18 {
                let (times, overflowed) = whole.multipliedReportingOverflow(by: 10)
                let (sum, overflowedAgain) = times.addingReportingOverflow(Int64(digit))
                if overflowed || overflowedAgain { return parseEpochSlowly(base, count) }
                whole = sum
            } else {
                whole = whole &* 10 &+ Int64(digit)
            }
            index += 1
        }
        if index == digitsStart { return nil }
        // Up to three fraction digits matter at millisecond resolution (seconds case).
        var fractionMillis: Int64 = 0
        var fractionScale: Int64 = 100
        if index < count && base[index] == UInt8(ascii: ".") {
            index += 1
            let fractionStart = index
            while index < count {
                let digit = base[index] &- 48
                if digit > 9 { break }
                fractionMillis &+= Int64(digit) &* fractionScale
                fractionScale /= 10
                index += 1
            }
            if index == fractionStart { return nil }
        }
        if index != count { return parseEpochSlowly(base, count) }
        let signed = negative ? -whole : whole
        if whole < 100_000_000_000 {
            return negative ? signed &* 1000 &- fractionMillis : signed &* 1000 &+ fractionMillis
        }
        if whole < 100_000_000_000_000 { return signed }
        // Sub-millisecond fractions are dropped toward the past, as for seconds.
        let divisor: Int64 = whole < 100_000_000_000_000_000 ? 1000 : 1_000_000
        return signed >= 0 ? signed / divisor : -((-signed + divisor - 1) / divisor)
    }

    /// Exponent forms (`1.7e9`) and very long numbers.
    private static func parseEpochSlowly(_ base: UnsafePointer<UInt8>, _ count: Int) -> Int64? {
        guard let number = NumberParser.parseDouble(base, count) else { return nil }
        return milliseconds(fromEpoch: number)
    }

    @inline(__always)
    private static func twoDigits(_ base: UnsafePointer<UInt8>, _ at: Int) -> Int? {
        let high = base[at] &- 48, low = base[at + 1] &- 48
        guard high <= 9, low <= 9 else { return nil }
        return Int(high) * 10 + Int(low)
    }

    @inline(__always)
    private static func parseCalendar(_ base: UnsafePointer<UInt8>, _ count: Int, cache: inout DayCache) -> Int64? {
        let head = UnsafeRawPointer(base).loadUnaligned(as: UInt64.self)
        let tail = UnsafeRawPointer(base).loadUnaligned(fromByteOffset: 8, as: UInt16.self)
        let days: Int
        if cache.days != Int.min && head == cache.head && tail == cache.tail {
            days = cache.days
        } else {
            guard let century = twoDigits(base, 0), let yearLow = twoDigits(base, 2),
                  let month = twoDigits(base, 5), let day = twoDigits(base, 8),
                  base[7] == UInt8(ascii: "-"), (1...12).contains(month), day >= 1,
                  day <= daysIn(month: month, year: century * 100 + yearLow)
            else { return nil }
            days = daysFromCivil(year: century * 100 + yearLow, month: month, day: day)
            cache = DayCache(head: head, tail: tail, days: days)
        }
        var index = 10
        var hour = 0, minute = 0, second = 0
        var millis = 0
        var offsetSeconds = 0
        if index < count {
            let separator = base[index]
            guard separator == UInt8(ascii: "T") || separator == UInt8(ascii: " ") || separator == UInt8(ascii: "t"),
                  count >= index + 6, let h = twoDigits(base, index + 1), base[index + 3] == UInt8(ascii: ":"),
                  let m = twoDigits(base, index + 4), h <= 24, m <= 59
            else { return nil }
            hour = h
            minute = m
            index += 6
            if index < count && base[index] == UInt8(ascii: ":") {
                guard count >= index + 3, let s = twoDigits(base, index + 1), s <= 60 else { return nil }
                second = s
                index += 3
                if index < count && (base[index] == UInt8(ascii: ".") || base[index] == UInt8(ascii: ",")) {
                    index += 1
                    var scale = 100
                    let fractionStart = index
                    while index < count {
                        let digit = base[index] &- 48
                        if digit > 9 { break }
                        millis += Int(digit) * scale
                        scale /= 10
                        index += 1
                    }
                    if index == fractionStart { return nil }
                }
            }
            if hour == 24 && (minute != 0 || second != 0 || millis != 0) { return nil }
            if index < count {
                // An optional single space before the zone, as some exporters write `… +00:00`.
                if base[index] == UInt8(ascii: " ") && index + 1 < count { index += 1 }
                let zone = base[index]
                if zone == UInt8(ascii: "Z") || zone == UInt8(ascii: "z") {
                    index += 1
                } else if zone == UInt8(ascii: "+") || zone == UInt8(ascii: "-") {
                    guard count >= index + 3, let zoneHours = twoDigits(base, index + 1), zoneHours <= 23 else { return nil }
                    index += 3
                    var zoneMinutes = 0
                    if index < count && base[index] == UInt8(ascii: ":") { index += 1 }
                    if index + 2 <= count, let parsedMinutes = twoDigits(base, index) {
                        guard parsedMinutes <= 59 else { return nil }
                        zoneMinutes = parsedMinutes
                        index += 2
                    }
                    offsetSeconds = (zoneHours * 3600 + zoneMinutes * 60) * (zone == UInt8(ascii: "+") ? 1 : -1)
                } else if count - index == 3 && base[index] == UInt8(ascii: "U") && base[index + 1] == UInt8(ascii: "T")
                            && base[index + 2] == UInt8(ascii: "C") {
                    index += 3
                }
                if index != count { return nil }
            }
        }
        let seconds = Int64(days) * 86400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetSeconds)
        return seconds * 1000 + Int64(millis)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar.
    @inline(__always)
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        Int(CivilTime.days(year: Int64(year), month: Int64(month), day: Int64(day)))
    }
}
