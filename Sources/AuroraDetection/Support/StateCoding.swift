import AuroraCore

/// Writes detector state as compact little-endian bytes.
///
/// Every state starts with a tag (the detector name) and a format version so restoring the state of
/// one detector into another, or an older layout, fails loudly instead of scoring garbage.
package struct StateWriter {
    /// The bytes written so far.
    package private(set) var bytes: [UInt8] = []

    /// Starts a state with its owner's tag and layout version.
    package init(tag: String, version: UInt8) {
        write(string: tag)
        bytes.append(version)
    }

    /// Appends a signed 64-bit integer.
    package mutating func write(_ value: Int64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends an integer (stored as 64 bits so the layout is the same on every platform).
    package mutating func write(_ value: Int) { write(Int64(value)) }

    /// Appends a double by its bit pattern, so NaN and infinities survive.
    package mutating func write(_ value: Double) { write(Int64(bitPattern: value.bitPattern)) }

    /// Appends a boolean as one byte.
    package mutating func write(_ value: Bool) { bytes.append(value ? 1 : 0) }

    /// Appends a count followed by the doubles (their bit patterns, little-endian: on a little-endian
    /// machine that is the array's memory, copied at once — a detector's state is mostly such arrays).
    package mutating func write(_ values: [Double]) {
        write(values.count)
        #if _endian(little)
        values.withUnsafeBytes { bytes.append(contentsOf: $0) }
        #else
        bytes.reserveCapacity(bytes.count + values.count * 8)
        for value in values { write(value) }
        #endif
    }

    /// Appends a count followed by the integers.
    package mutating func write(_ values: [Int64]) {
        write(values.count)
        for value in values { write(value) }
    }

    /// Appends an unsigned integer in 7-bit groups, low first (LEB128): counts and indices of a few
    /// bytes instead of eight.
    package mutating func write(varint value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// Appends doubles without a count (the reader knows it), as their little-endian bit patterns.
    package mutating func write(raw values: ArraySlice<Double>) {
        #if _endian(little)
        values.withUnsafeBytes { bytes.append(contentsOf: $0) }
        #else
        for value in values { write(value) }
        #endif
    }

    /// Appends integers in `0..<65_536` without a count, two little-endian bytes each.
    package mutating func write(uint16 values: [UInt16]) {
        #if _endian(little)
        values.withUnsafeBytes { bytes.append(contentsOf: $0) }
        #else
        bytes.reserveCapacity(bytes.count + values.count * 2)
        for value in values {
            bytes.append(UInt8(truncatingIfNeeded: value))
            bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        }
        #endif
    }

    /// Appends a length-prefixed UTF-8 string.
    package mutating func write(string: String) {
        let utf8 = Array(string.utf8)
        write(utf8.count)
        bytes.append(contentsOf: utf8)
    }

    /// Appends a length-prefixed blob (a nested state).
    package mutating func write(blob: [UInt8]) {
        write(blob.count)
        bytes.append(contentsOf: blob)
    }
}

/// Reads state written by `StateWriter`, throwing `DetectionError.stateMismatch` on any inconsistency.
package struct StateReader {
    private let bytes: [UInt8]
    private var offset = 0
    private let owner: String
    /// The layout version the state was written in (one of those the reader was opened to accept).
    package private(set) var version: UInt8 = 0

    /// Opens a state and checks its tag and version.
    package init(_ bytes: [UInt8], tag: String, version: UInt8) throws {
        try self.init(bytes, tag: tag, versions: version...version)
    }

    /// Opens a state written in any of `versions` (an owner that still reads the layouts its earlier
    /// releases saved); `version` then says which, for the owner to read the fields that layout has.
    /// A newer version than the owner knows is refused like any other.
    package init(_ bytes: [UInt8], tag: String, versions: ClosedRange<UInt8>) throws {
        self.bytes = bytes
        self.owner = tag
        let found = try readString()
        guard found == tag else {
            throw DetectionError.stateMismatch(detector: tag, reason: "it was written by '\(found)'")
        }
        let foundVersion = try readByte()
        guard versions.contains(foundVersion) else {
            let expected = versions.count == 1 ? "\(versions.upperBound)" : "\(versions.lowerBound) to \(versions.upperBound)"
            throw DetectionError.stateMismatch(detector: tag, reason: "layout version \(foundVersion), expected \(expected)")
        }
        version = foundVersion
    }

    /// True when every byte has been read.
    package var isAtEnd: Bool { offset == bytes.count }

    private mutating func readByte() throws -> UInt8 {
        guard offset < bytes.count else { throw truncated() }
        defer { offset += 1 }
        return bytes[offset]
    }

    private func truncated() -> DetectionError {
        DetectionError.stateMismatch(detector: owner, reason: "the state is truncated")
    }

    /// Reads a signed 64-bit integer.
    package mutating func readInt64() throws -> Int64 {
        guard bytes.count - offset >= 8 else { throw truncated() }
        var raw: UInt64 = 0
        for index in 0..<8 { raw |= UInt64(bytes[offset + index]) << (8 * UInt64(index)) }
        offset += 8
        return Int64(bitPattern: raw)
    }

    /// Reads an integer, rejecting values that do not fit a sane count.
    package mutating func readInt() throws -> Int {
        let value = try readInt64()
        guard value >= Int64(Int.min / 2), value <= Int64(Int.max / 2) else { throw truncated() }
        return Int(value)
    }

    /// Reads a double.
    package mutating func readDouble() throws -> Double { Double(bitPattern: UInt64(bitPattern: try readInt64())) }

    /// Reads a boolean.
    package mutating func readBool() throws -> Bool { try readByte() != 0 }

    /// Reads a count (checked against the bytes left) and that many doubles.
    package mutating func readDoubles() throws -> [Double] {
        let count = try readInt()
        guard count >= 0, count <= (bytes.count - offset) / 8 else { throw truncated() }
        #if _endian(little)
        let start = offset
        let values = [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
            bytes.withUnsafeBytes { raw in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[start..<start + count * 8]))
            }
            initialized = count
        }
        offset += count * 8
        return values
        #else
        var values = [Double]()
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try readDouble()) }
        return values
        #endif
    }

    /// Reads a count and that many integers.
    package mutating func readInt64s() throws -> [Int64] {
        let count = try readInt()
        guard count >= 0, count <= (bytes.count - offset) / 8 else { throw truncated() }
        var values = [Int64]()
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try readInt64()) }
        return values
    }

    /// Reads an unsigned LEB128 integer (at most ten bytes).
    package mutating func readVarint() throws -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try readByte()
            guard shift < 64, shift < 63 || byte <= 1 else { throw truncated() }
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }

    /// Reads a LEB128 integer that must lie in `0...limit`.
    package mutating func readVarint(atMost limit: Int) throws -> Int {
        let value = try readVarint()
        guard value <= UInt64(limit) else { throw truncated() }
        return Int(value)
    }

    /// Reads `count` doubles written by `write(raw:)` into `destination` from its start.
    package mutating func readRaw(_ count: Int, into destination: inout [Double]) throws {
        guard count >= 0, count <= destination.count, count <= (bytes.count - offset) / 8 else { throw truncated() }
        let start = offset
        #if _endian(little)
        destination.withUnsafeMutableBytes { target in
            bytes.withUnsafeBytes { raw in
                target.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[start..<start + count * 8]))
            }
        }
        offset += count * 8
        #else
        for index in 0..<count { destination[index] = try readDouble() }
        #endif
    }

    /// Reads `count` integers written by `write(uint16:)`.
    package mutating func readUInt16s(_ count: Int) throws -> [UInt16] {
        guard count >= 0, count <= (bytes.count - offset) / 2 else { throw truncated() }
        let start = offset
        offset += count * 2
        return [UInt16](unsafeUninitializedCapacity: count) { values, initialized in
            bytes.withUnsafeBufferPointer { raw in
                for index in 0..<count { values[index] = UInt16(raw[start + 2 * index]) | UInt16(raw[start + 2 * index + 1]) << 8 }
            }
            initialized = count
        }
    }

    /// The error of a state whose contents contradict each other (for readers of nested layouts).
    package func inconsistent(_ reason: String) -> DetectionError {
        DetectionError.stateMismatch(detector: owner, reason: reason)
    }

    /// Reads a length-prefixed string.
    package mutating func readString() throws -> String {
        let count = try readInt()
        guard count >= 0, count <= bytes.count - offset else { throw truncated() }
        defer { offset += count }
        return String(decoding: bytes[offset..<offset + count], as: UTF8.self)
    }

    /// Reads a length-prefixed blob.
    package mutating func readBlob() throws -> [UInt8] {
        let count = try readInt()
        guard count >= 0, count <= bytes.count - offset else { throw truncated() }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    /// Throws unless the whole state was consumed, catching layouts that merely start alike.
    package func finish() throws {
        guard isAtEnd else {
            throw DetectionError.stateMismatch(detector: owner, reason: "\(bytes.count - offset) unexpected trailing bytes")
        }
    }
}
