/// Little-endian byte writer for model state, so saved models read back identically on any machine.
///
/// Floating-point values are stored by bit pattern: a restored model continues with exactly the
/// numbers it stopped with, which is what makes "score in two runs" equal "score at once".
struct ModelStateWriter {
    private(set) var bytes: [UInt8] = []

    init(tag: UInt32, version: UInt16) {
        bytes.reserveCapacity(4096)
        append(UInt64(tag) << 16 | UInt64(version))
    }

    mutating func append(_ value: UInt64) {
        var v = value
        for _ in 0..<8 {
            bytes.append(UInt8(truncatingIfNeeded: v))
            v >>= 8
        }
    }

    mutating func append(_ value: Int) { append(UInt64(bitPattern: Int64(value))) }
    mutating func append(_ value: Int64) { append(UInt64(bitPattern: value)) }
    mutating func append(_ value: Double) { append(value.bitPattern) }
    mutating func append(_ value: Float) { append(UInt64(value.bitPattern)) }
    mutating func append(_ value: Bool) { append(UInt64(value ? 1 : 0)) }

    mutating func append(_ values: [Float]) {
        append(values.count)
        bytes.reserveCapacity(bytes.count + values.count * 4)
        for value in values {
            var v = value.bitPattern
            for _ in 0..<4 {
                bytes.append(UInt8(truncatingIfNeeded: v))
                v >>= 8
            }
        }
    }

    mutating func append(_ values: [Double]) {
        append(values.count)
        for value in values { append(value) }
    }

    mutating func append(_ values: [Int64]) {
        append(values.count)
        for value in values { append(value) }
    }

    mutating func append(_ values: [Int32]) {
        append(values.count)
        for value in values {
            var v = UInt32(bitPattern: value)
            for _ in 0..<4 {
                bytes.append(UInt8(truncatingIfNeeded: v))
                v >>= 8
            }
        }
    }
}

/// Reads what `ModelStateWriter` wrote, throwing `MLDetectorError.corruptState` instead of trapping.
struct ModelStateReader {
    private let bytes: [UInt8]
    private var offset = 0
    private let detector: String

    /// Checks the header: the tag says which detector wrote the bytes, the version their layout.
    init(_ bytes: [UInt8], tag: UInt32, version: UInt16, detector: String) throws {
        self.bytes = bytes
        self.detector = detector
        let header = try readUInt64()
        guard header >> 16 == UInt64(tag) else { throw failure("not \(detector) state") }
        guard UInt16(truncatingIfNeeded: header) == version else {
            throw failure("state version \(UInt16(truncatingIfNeeded: header)), this build reads version \(version)")
        }
    }

    func failure(_ reason: String) -> MLDetectorError {
        .corruptState(detector: detector, reason: reason)
    }

    var isAtEnd: Bool { offset == bytes.count }

    mutating func readUInt64() throws -> UInt64 {
        guard bytes.count - offset >= 8 else { throw failure("truncated at byte \(offset)") }
        var v: UInt64 = 0
        for k in 0..<8 { v |= UInt64(bytes[offset + k]) << (8 * k) }
        offset += 8
        return v
    }

    mutating func readInt() throws -> Int { Int(Int64(bitPattern: try readUInt64())) }
    mutating func readInt64() throws -> Int64 { Int64(bitPattern: try readUInt64()) }
    mutating func readDouble() throws -> Double { Double(bitPattern: try readUInt64()) }
    mutating func readFloat() throws -> Float { Float(bitPattern: UInt32(truncatingIfNeeded: try readUInt64())) }
    mutating func readBool() throws -> Bool { try readUInt64() != 0 }

    /// Reads a count and checks it against what the model's shape requires (and what is left).
    mutating func readCount(expected: Int?, elementSize: Int) throws -> Int {
        let count = try readInt()
        guard count >= 0, count <= (bytes.count - offset) / elementSize else { throw failure("bad length \(count)") }
        if let expected, count != expected { throw failure("length \(count), expected \(expected)") }
        return count
    }

    mutating func readFloats(expected: Int? = nil) throws -> [Float] {
        let count = try readCount(expected: expected, elementSize: 4)
        var out = [Float](repeating: 0, count: count)
        for i in 0..<count {
            var v: UInt32 = 0
            for k in 0..<4 { v |= UInt32(bytes[offset + k]) << (8 * k) }
            offset += 4
            out[i] = Float(bitPattern: v)
        }
        return out
    }

    mutating func readInt32s(expected: Int? = nil) throws -> [Int32] {
        let count = try readCount(expected: expected, elementSize: 4)
        var out = [Int32](repeating: 0, count: count)
        for i in 0..<count {
            var v: UInt32 = 0
            for k in 0..<4 { v |= UInt32(bytes[offset + k]) << (8 * k) }
            offset += 4
            out[i] = Int32(bitPattern: v)
        }
        return out
    }

    mutating func readDoubles(expected: Int? = nil) throws -> [Double] {
        let count = try readCount(expected: expected, elementSize: 8)
        var out = [Double](repeating: 0, count: count)
        for i in 0..<count { out[i] = try readDouble() }
        return out
    }

    mutating func readInt64s(expected: Int? = nil) throws -> [Int64] {
        let count = try readCount(expected: expected, elementSize: 8)
        var out = [Int64](repeating: 0, count: count)
        for i in 0..<count { out[i] = try readInt64() }
        return out
    }

    /// Fails when bytes are left over: a longer state belongs to some other layout.
    func finish() throws {
        guard isAtEnd else { throw failure("\(bytes.count - offset) unexpected trailing bytes") }
    }
}
