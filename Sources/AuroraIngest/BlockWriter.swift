import AuroraCore

/// An append-only byte buffer with hand-written number formatting (no `String` per number).
struct BlockWriter {
    private(set) var bytes: [UInt8] = []
    let blockSize: Int

    init(blockSize: Int) {
        self.blockSize = blockSize
        bytes.reserveCapacity(blockSize + 4096)
    }

    mutating func byte(_ value: UInt8) { bytes.append(value) }

    mutating func text(_ value: String) { bytes.append(contentsOf: value.utf8) }

    mutating func integer(_ value: Int64) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[19 - count] = UInt8(magnitude % 10) + 48
                magnitude /= 10
                count += 1
            } while magnitude > 0
            bytes.append(contentsOf: buffer[(20 - count)...])
        }
    }

    /// Shortest text that reads back as the same Double; integers without a fraction.
    mutating func number(_ value: Double) {
        if value.isNaN {
            text("NaN")
        } else if value.isInfinite {
            text(value > 0 ? "+Inf" : "-Inf")
        } else if value == value.rounded(), abs(value) < 1e15 {
            integer(Int64(value))
        } else if abs(value) < 1e12, case let scaled = (value * 1000).rounded(), Double(Int64(scaled)) / 1000 == value {
            // Three decimals by hand: what most dumps hold, without a String per number.
            let thousandths = Int64(scaled)
            if thousandths < 0 { byte(UInt8(ascii: "-")) }
            let magnitude = thousandths.magnitude
            integer(Int64(magnitude / 1000))
            byte(UInt8(ascii: "."))
            let fraction = magnitude % 1000
            byte(UInt8(fraction / 100) + 48)
            byte(UInt8(fraction / 10 % 10) + 48)
            byte(UInt8(fraction % 10) + 48)
        } else {
            text(value.description)
        }
    }

    /// Unix ms as seconds with three decimals (Prometheus API style).
    mutating func seconds(_ millis: Int64) {
        let whole = millis >= 0 ? millis / 1000 : -((-millis + 999) / 1000)
        let fraction = millis - whole * 1000
        integer(whole)
        if fraction != 0 {
            byte(UInt8(ascii: "."))
            byte(UInt8(fraction / 100) + 48)
            byte(UInt8(fraction / 10 % 10) + 48)
            byte(UInt8(fraction % 10) + 48)
        }
    }

    /// `YYYY-MM-DD HH:MM:SS[.mmm]` (or with `T` and `Z`).
    mutating func calendar(_ millis: Int64, separator: Character, zone: Bool) {
        let days = millis >= 0 ? millis / 86_400_000 : -((-millis + 86_399_999) / 86_400_000)
        let inDay = millis - days * 86_400_000
        let (year, month, day) = civil(fromDays: days)
        func two(_ value: Int64) {
            byte(UInt8(value / 10) + 48)
            byte(UInt8(value % 10) + 48)
        }
        integer(year)
        byte(UInt8(ascii: "-")); two(month); byte(UInt8(ascii: "-")); two(day)
        text(String(separator))
        two(inDay / 3_600_000); byte(UInt8(ascii: ":")); two(inDay / 60000 % 60); byte(UInt8(ascii: ":")); two(inDay / 1000 % 60)
        let fraction = inDay % 1000
        if fraction != 0 {
            byte(UInt8(ascii: "."))
            byte(UInt8(fraction / 100) + 48)
            byte(UInt8(fraction / 10 % 10) + 48)
            byte(UInt8(fraction % 10) + 48)
        }
        if zone { byte(UInt8(ascii: "Z")) }
    }

    private func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let date = CivilTime.date(days: days)
        return (date.year, date.month, date.day)
    }

    mutating func flushIfFull(_ flush: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        if bytes.count >= blockSize { try finish(flush) }
    }

    mutating func finish(_ flush: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        guard !bytes.isEmpty else { return }
        try bytes.withUnsafeBytes { try flush($0) }
        bytes.removeAll(keepingCapacity: true)
    }
}
