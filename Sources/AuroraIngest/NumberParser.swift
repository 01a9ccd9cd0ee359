import Foundation

/// Hand-written decimal parsing over raw bytes: the hot path of every text format.
///
/// `Double(Substring)` and per-field `String`s cost more than the whole parse budget (see
/// performance-notes.md), so numbers are read straight from the input buffer. Plain decimals whose
/// significand fits 53 bits and whose exponent is within ±22 are exact with one multiplication or
/// division (Clinger's fast path); anything longer falls back to `strtod` for correct rounding.
enum NumberParser {
    /// Powers of ten that are exact in a Double.
    private static let powers: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
        1e19, 1e20, 1e21, 1e22,
    ]

    @inline(__always)
    private static func power(_ exponent: Int) -> Double { powers[exponent] }

    /// Parses `[+-]digits[.digits][(e|E)[+-]digits]`, or `NaN`/`Inf`/`Infinity` in any case with a sign.
    /// Returns nil when the bytes are not exactly one number (no surrounding spaces).
    @inline(__always)
    static func parseDouble(_ base: UnsafePointer<UInt8>, _ count: Int) -> Double? {
        var index = 0
        var negative = false
        if count > 0 && (base[0] == UInt8(ascii: "-") || base[0] == UInt8(ascii: "+")) {
            negative = base[0] == UInt8(ascii: "-")
            index = 1
        }
        var mantissa: UInt64 = 0
        var exponent = 0
        var digits = 0
        var truncated = false
        while index < count {
            let digit = base[index] &- 48
            if digit > 9 { break }
            if mantissa < 100_000_000_000_000_000 {
                mantissa = mantissa &* 10 &+ UInt64(digit)
            } else {
                exponent += 1
                truncated = true
            }
            digits += 1
            index += 1
        }
        if index < count && base[index] == UInt8(ascii: ".") {
            index += 1
            while index < count {
                let digit = base[index] &- 48
                if digit > 9 { break }
                if mantissa < 100_000_000_000_000_000 {
                    mantissa = mantissa &* 10 &+ UInt64(digit)
                    exponent -= 1
                } else {
                    truncated = true
                }
                digits += 1
                index += 1
            }
        }
        if digits == 0 { return parseSpecial(base, count) }
        if index < count && (base[index] | 0x20) == UInt8(ascii: "e") {
            index += 1
            var exponentNegative = false
            if index < count && (base[index] == UInt8(ascii: "-") || base[index] == UInt8(ascii: "+")) {
                exponentNegative = base[index] == UInt8(ascii: "-")
                index += 1
            }
            var written = 0
            var exponentDigits = 0
            while index < count {
                let digit = base[index] &- 48
                if digit > 9 { break }
                if written < 100_000 { written = written &* 10 &+ Int(digit) }
                exponentDigits += 1
                index += 1
            }
            if exponentDigits == 0 { return nil }
            exponent += exponentNegative ? -written : written
        }
        if index != count { return nil }
        if !truncated && mantissa <= 1 << 53 {
            if exponent == 0 {
                let value = Double(mantissa)
                return negative ? -value : value
            }
            if exponent > 0 && exponent <= 22 {
                let value = Double(mantissa) * power(exponent)
                return negative ? -value : value
            }
            if exponent < 0 && exponent >= -22 {
                let value = Double(mantissa) / power(-exponent)
                return negative ? -value : value
            }
        }
        return slowParse(base, count)
    }

    /// Correctly rounded fallback through the C library for long or extreme numbers (rare).
    private static func slowParse(_ base: UnsafePointer<UInt8>, _ count: Int) -> Double? {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: count + 1) { buffer -> Double? in
            guard let target = buffer.baseAddress else { return nil }
            base.withMemoryRebound(to: CChar.self, capacity: count) { target.update(from: $0, count: count) }
            target[count] = 0
            var end: UnsafeMutablePointer<CChar>?
            let value = strtod(target, &end)
            guard let end, end == target + count else { return nil }
            return value
        }
    }

    /// `NaN`, `Inf`, `Infinity` (any case, optional sign). Kept separate: they are counted, never stored.
    private static func parseSpecial(_ base: UnsafePointer<UInt8>, _ count: Int) -> Double? {
        var index = 0
        var negative = false
        if count > 0 && (base[0] == UInt8(ascii: "-") || base[0] == UInt8(ascii: "+")) {
            negative = base[0] == UInt8(ascii: "-")
            index = 1
        }
        let rest = count - index
        func lowered(_ offset: Int) -> UInt8 { base[index + offset] | 0x20 }
        if rest == 3 && lowered(0) == UInt8(ascii: "n") && lowered(1) == UInt8(ascii: "a") && lowered(2) == UInt8(ascii: "n") {
            return .nan
        }
        if (rest == 3 || rest == 8) && lowered(0) == UInt8(ascii: "i") && lowered(1) == UInt8(ascii: "n") && lowered(2) == UInt8(ascii: "f") {
            if rest == 8 {
                let tail: [UInt8] = Array("inity".utf8)
                for offset in 0..<5 where lowered(3 + offset) != tail[offset] { return nil }
            }
            return negative ? -.infinity : .infinity
        }
        return nil
    }

    /// Parses an unsigned or signed integer exactly (InfluxDB `12i`), nil on overflow or junk.
    static func parseInteger(_ base: UnsafePointer<UInt8>, _ count: Int) -> Int64? {
        var index = 0
        var negative = false
        if count > 0 && (base[0] == UInt8(ascii: "-") || base[0] == UInt8(ascii: "+")) {
            negative = base[0] == UInt8(ascii: "-")
            index = 1
        }
        guard index < count else { return nil }
        var value: Int64 = 0
        while index < count {
            let digit = base[index] &- 48
            guard digit <= 9 else { return nil }
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int64(digit))
            if overflow1 || overflow2 { return nil }
            value = sum
            index += 1
        }
        return negative ? -value : value
    }
}
