import CZlib

/// Decompresses gzip input with the system zlib (the `CZlib` system-library target).
///
/// Concatenated members (as `cat a.gz b.gz` makes) read as one stream. The caller bounds what it
/// inflates (`InflationLimit`), so a small file cannot expand without limit.
final class GzipInflater {
    /// What one `inflate` call did.
    struct Step {
        var consumed: Int
        var produced: Int
        var finishedMember: Bool
    }

    /// A decompression failure, with zlib's own words.
    struct Failure: Error {
        let message: String
    }

    /// Whether bytes start with the gzip magic number.
    static func isGzip(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    // zlib keeps a pointer back to the stream in its state, so the stream lives at a fixed address;
    // it is only touched by this object's methods, one call at a time.
    private let stream: UnsafeMutablePointer<z_stream>

    init?() {
        stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        guard aurora_inflate_init(stream) == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            return nil
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Inflates from `input` into `output`. A finished member is reset so the next one follows.
    func inflate(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(Failure) -> Step {
        guard let outputBase = output.baseAddress else { return Step(consumed: 0, produced: 0, finishedMember: false) }
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(min(input.count, Int(UInt32.max)))
        stream.pointee.next_out = outputBase.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = uInt(min(output.count, Int(UInt32.max)))
        let availableIn = Int(stream.pointee.avail_in), availableOut = Int(stream.pointee.avail_out)
        let status = CZlib.inflate(stream, Z_NO_FLUSH)
        let step = Step(consumed: availableIn - Int(stream.pointee.avail_in), produced: availableOut - Int(stream.pointee.avail_out),
                        finishedMember: status == Z_STREAM_END)
        switch status {
        case Z_OK, Z_STREAM_END: break
        case Z_BUF_ERROR: break // No progress possible now; the caller brings more input or space.
        default:
            let detail = stream.pointee.msg.map { String(cString: $0) } ?? "error \(status)"
            throw Failure(message: "corrupt gzip data: \(detail) (expected a valid gzip stream)")
        }
        if step.finishedMember { inflateReset(stream) }
        return step
    }
}

/// How far gzip input may inflate: a ratio to the compressed bytes read so far and an absolute cap.
///
/// Text metrics compress 3–15 times (generated NAB, long CSV, exposition and Prometheus JSON dumps
/// with random values measured 3.2–12.1; a constant series 6); zlib cannot exceed 1032. A document
/// inflating more than 100 times its compressed size is almost all repetition: a decompression bomb,
/// not a dump. The ratio is judged only past the first 16 MiB, so a
/// small, very regular file is never refused.
struct InflationLimit: Sendable {
    /// Largest inflated size of one input.
    var maxBytes: Int
    /// Largest inflated ÷ compressed ratio, judged once more than `ratioGrace` bytes came out.
    var maxRatio: Int
    var ratioGrace: Int

    static let standard = InflationLimit(maxBytes: 16 << 30, maxRatio: 100, ratioGrace: 16 << 20)

    /// The refusal for an input that inflated to `inflated` bytes from `compressed`, or nil.
    func violation(inflated: Int, compressed: Int) -> String? {
        if inflated > maxBytes {
            return "gzip data inflates past \(Self.size(maxBytes)) (expected at most that much per input: split the dump)"
        }
        if inflated > ratioGrace && inflated / max(compressed, 1) > maxRatio {
            return "gzip data inflates more than \(maxRatio) times its compressed size (\(Self.size(compressed)) to over "
                + "\(Self.size(inflated))): a decompression bomb? (expected compressed metrics, which inflate 3–15 times)"
        }
        return nil
    }

    static func size(_ bytes: Int) -> String {
        bytes >= 1 << 30 ? "\(bytes >> 30) GiB" : bytes >= 1 << 20 ? "\(bytes >> 20) MiB" : "\(bytes >> 10) KiB"
    }
}
