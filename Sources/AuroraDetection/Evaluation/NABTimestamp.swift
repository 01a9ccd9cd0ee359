/// Parses the timestamps NAB writes (`2014-04-10 07:15:00` and `2014-04-10 07:15:00.000000`, also
/// with a `T`), read as UTC, into Unix milliseconds.
package enum NABTimestamp {
    /// Milliseconds since the epoch, or nil when the text is not such a timestamp.
    package static func milliseconds(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { milliseconds(UnsafeRawBufferPointer($0)) }
    }

    /// The same from raw bytes (for CSV readers that never build a String per row).
    package static func milliseconds(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        var position = 0
        func number(_ digits: Int) -> Int64? {
            guard position + digits <= bytes.count else { return nil }
            var value: Int64 = 0
            for _ in 0..<digits {
                let byte = bytes[position]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int64(byte - 48)
                position += 1
            }
            return value
        }
        func expect(_ options: UInt8...) -> Bool {
            guard position < bytes.count, options.contains(bytes[position]) else { return false }
            position += 1
            return true
        }
        guard let year = number(4), expect(45), let month = number(2), expect(45), let day = number(2),
              expect(32, 84), let hour = number(2), expect(58), let minute = number(2), expect(58), let second = number(2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        var millis: Int64 = 0
        if position < bytes.count, bytes[position] == 46 {
            position += 1
            var scale: Int64 = 100
            while position < bytes.count, bytes[position] >= 48, bytes[position] <= 57 {
                millis += Int64(bytes[position] - 48) * scale
                scale /= 10
                position += 1
            }
        }
        if position < bytes.count, bytes[position] == 90 { position += 1 } // trailing Z
        guard position == bytes.count else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        return ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + millis
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let monthIndex = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * monthIndex + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
