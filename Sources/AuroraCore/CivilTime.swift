/// Dates in the proleptic Gregorian calendar, in UTC: the one calendar aurora reads and prints times in.
///
/// Foundation's formatters switch to the Julian calendar before 15 October 1582, so `1500-03-01` read by
/// ingest (proleptic Gregorian, as ISO 8601 requires) printed as `1500-02-20` in `series list` while
/// `detect --emit scores` printed `1500-03-01` (issue 18, item 10). Every place that turns Unix
/// milliseconds into text, or a calendar time argument into milliseconds, goes through here.
package enum CivilTime {
    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    @inline(__always)
    package static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date of a day number (the inverse of `days`).
    @inline(__always)
    package static func date(days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// RFC 3339 in UTC, `2024-03-01T12:00:00Z`; with `milliseconds`, `.123` when not zero.
    package static func iso(_ unixMilliseconds: Int64, milliseconds: Bool = false) -> String {
        let dayNumber = unixMilliseconds >= 0 ? unixMilliseconds / 86_400_000 : -((-unixMilliseconds + 86_399_999) / 86_400_000)
        let inDay = unixMilliseconds - dayNumber * 86_400_000
        let (year, month, day) = date(days: dayNumber)
        func padded(_ value: Int64, _ width: Int) -> String {
            let digits = String(value.magnitude)
            return (value < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        var text = padded(year, 4) + "-" + padded(month, 2) + "-" + padded(day, 2) + "T" + padded(inDay / 3_600_000, 2) + ":"
            + padded(inDay / 60_000 % 60, 2) + ":" + padded(inDay / 1000 % 60, 2)
        if milliseconds && inDay % 1000 != 0 { text += "." + padded(inDay % 1000, 3) }
        return text + "Z"
    }

    /// Reads `YYYY-MM-DD`, optionally followed by ` ` or `T`, `HH:MM[:SS[.fff…]]` and `Z` or `±HH:MM`
    /// (UTC when no zone is given), as Unix milliseconds; nil when the text is not such a time or names
    /// a day that does not exist.
    package static func parse(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        var position = 0
        func number(_ width: Int) -> Int64? {
            guard position + width <= bytes.count else { return nil }
            var value: Int64 = 0
            for byte in bytes[position..<position + width] {
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int64(byte - 48)
            }
            position += width
            return value
        }
        func take(_ byte: UInt8) -> Bool {
            guard position < bytes.count, bytes[position] == byte else { return false }
            position += 1
            return true
        }
        guard let year = number(4), take(0x2D), let month = number(2), take(0x2D), let day = number(2),
              (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year) else { return nil }
        var milliseconds = days(year: year, month: month, day: day) * 86_400_000
        guard position < bytes.count else { return milliseconds }
        guard take(0x20) || take(0x54) || take(0x74), let hour = number(2), take(0x3A), let minute = number(2),
              hour < 24, minute < 60 else { return nil }
        milliseconds += (hour * 60 + minute) * 60_000
        if take(0x3A) {
            guard let second = number(2), second < 60 else { return nil }
            milliseconds += second * 1000
            if take(0x2E) {
                var scale: Int64 = 100
                let start = position
                while position < bytes.count, bytes[position] >= 48, bytes[position] <= 57 {
                    milliseconds += Int64(bytes[position] - 48) * scale
                    scale /= 10
                    position += 1
                }
                guard position > start else { return nil }
            }
        }
        if take(0x5A) || take(0x7A) { return position == bytes.count ? milliseconds : nil }
        if position < bytes.count, bytes[position] == 0x2B || bytes[position] == 0x2D {
            let sign: Int64 = bytes[position] == 0x2B ? 1 : -1
            position += 1
            guard let zoneHour = number(2), take(0x3A), let zoneMinute = number(2), zoneHour < 24, zoneMinute < 60 else { return nil }
            milliseconds -= sign * (zoneHour * 60 + zoneMinute) * 60_000
        }
        return position == bytes.count ? milliseconds : nil
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
