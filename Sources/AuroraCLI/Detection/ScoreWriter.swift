/// Writes `--emit scores` CSV fast: numbers and timestamps formatted by hand into a byte buffer,
/// flushed in large blocks (printing a row through `String` costs more than scoring it).
struct ScoreWriter {
    private(set) var buffer: [UInt8] = []

    init() { buffer.reserveCapacity(1 << 16) }

    var isFull: Bool { buffer.count >= 1 << 16 }

    mutating func clear() { buffer.removeAll(keepingCapacity: true) }

    mutating func text(_ string: String) { buffer.append(contentsOf: string.utf8) }

    mutating func byte(_ value: UInt8) { buffer.append(value) }

    /// `YYYY-MM-DD HH:MM:SS` in UTC, NAB's layout (milliseconds are dropped, as NAB has none).
    mutating func timestamp(_ milliseconds: Int64) {
        let seconds = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
        var days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let secondOfDay = seconds - days * 86400
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let dayOfEra = days - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        var year = yearOfEra + era * 400
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPrime = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthPrime + 2) / 5 + 1
        let month = monthPrime < 10 ? monthPrime + 3 : monthPrime - 9
        if month <= 2 { year += 1 }
        digits(year, width: 4); byte(0x2D); digits(month, width: 2); byte(0x2D); digits(day, width: 2)
        byte(0x20)
        digits(secondOfDay / 3600, width: 2); byte(0x3A)
        digits(secondOfDay / 60 % 60, width: 2); byte(0x3A)
        digits(secondOfDay % 60, width: 2)
    }

    private mutating func digits(_ value: Int64, width: Int) {
        var scratch: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0)
        var remaining = value < 0 ? 0 : value
        var count = 0
        withUnsafeMutableBytes(of: &scratch) { raw in
            repeat {
                raw[count] = UInt8(48 + remaining % 10)
                remaining /= 10
                count += 1
            } while (remaining > 0 || count < width) && count < 6
            for index in stride(from: count - 1, through: 0, by: -1) { buffer.append(raw[index]) }
        }
    }

    /// A number: integers without a fraction, others with up to 6 decimals (trailing zeros cut).
    mutating func number(_ value: Double) {
        guard value.isFinite else {
            text(value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf"))
            return
        }
        if value == value.rounded(), abs(value) < 1e15 {
            let integer = Int64(value)
            if integer < 0 { byte(0x2D) }
            digits(abs(integer), width: 1, unlimited: true)
            return
        }
        if abs(value) >= 1e15 || abs(value) < 1e-6 {
            text(value.description)
            return
        }
        var scaled = (abs(value) * 1_000_000).rounded()
        if value < 0 { byte(0x2D) }
        let whole = Int64(scaled / 1_000_000)
        scaled -= Double(whole) * 1_000_000
        var fraction = Int64(scaled)
        digits(whole, width: 1, unlimited: true)
        guard fraction > 0 else { return }
        byte(0x2E)
        var width = 6
        while fraction % 10 == 0 { fraction /= 10; width -= 1 }
        digits(fraction, width: width, unlimited: true)
    }

    private mutating func digits(_ value: Int64, width: Int, unlimited: Bool) {
        var stack: [UInt8] = []
        var remaining = value
        repeat {
            stack.append(UInt8(48 + remaining % 10))
            remaining /= 10
        } while remaining > 0 || stack.count < width
        buffer.append(contentsOf: stack.reversed())
    }
}
