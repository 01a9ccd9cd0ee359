/// Compact encoding of a seasonal profile: a mean and an observation count per bin.
///
/// Counts are whole numbers kept as doubles; a bin never observed has mean 0. Each bin is written as
/// one varint, `count << 1 | has mean`, followed by the mean's eight bytes only when it is not +0: a
/// young series' profile (a few bins filled of 384) takes a few hundred bytes instead of six
/// thousand, a full one about two thirds. A profile this cannot describe exactly (a count that is not
/// a whole number below 2^53) is written whole, behind a mode byte.
enum ProfileCoding {
    private static let perBinMode: UInt64 = 0
    private static let wholeMode: UInt64 = 1
    /// Counts up to here are exact as doubles.
    private static let largestCount = Double(1 << 53)

    static func write(mean: [Double], count: [Double], to writer: inout StateWriter) {
        let whole = count.contains { !($0 >= 0 && $0 < largestCount && $0.rounded(.towardZero) == $0) } || mean.count != count.count
        guard !whole else {
            writer.write(varint: wholeMode)
            writer.write(mean)
            writer.write(count)
            return
        }
        writer.write(varint: perBinMode)
        for bin in mean.indices {
            let hasMean = mean[bin].bitPattern != 0
            writer.write(varint: UInt64(count[bin]) << 1 | (hasMean ? 1 : 0))
            if hasMean { writer.write(mean[bin]) }
        }
    }

    static func read(bins: Int, from reader: inout StateReader) throws -> (mean: [Double], count: [Double]) {
        switch try reader.readVarint() {
        case wholeMode:
            return (try reader.readDoubles(), try reader.readDoubles())
        case perBinMode:
            var mean = [Double](repeating: 0, count: bins)
            var count = [Double](repeating: 0, count: bins)
            for bin in 0..<bins {
                let tag = try reader.readVarint()
                count[bin] = Double(tag >> 1)
                if tag & 1 == 1 { mean[bin] = try reader.readDouble() }
            }
            return (mean, count)
        default:
            throw reader.inconsistent("unknown profile layout")
        }
    }
}
