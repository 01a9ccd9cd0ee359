import Foundation

/// Decompresses gzip input with the system zlib, reached at run time through `dlopen`.
///
/// The package has no zlib module (adding one means a system-library target), and Foundation on
/// Linux does not expose one, so the three functions needed are looked up in `libz.so.1` (or
/// `libz.1.dylib`). When zlib is absent, gzip input is refused with a message telling the operator to
/// decompress it first. zlib checks the size of the stream structure it is given, so a layout mismatch
/// is reported by `inflateInit2_` rather than corrupting memory.
final class GzipInflater {
    /// `z_stream` as laid out by C on LP64 systems (Linux, macOS): 112 bytes.
    private struct Stream {
        var nextIn: UnsafeMutablePointer<UInt8>?
        var availIn: UInt32 = 0
        var totalIn: UInt = 0
        var nextOut: UnsafeMutablePointer<UInt8>?
        var availOut: UInt32 = 0
        var totalOut: UInt = 0
        var message: UnsafePointer<CChar>?
        var state: OpaquePointer?
        var allocate: OpaquePointer?
        var free: OpaquePointer?
        var opaque: OpaquePointer?
        var dataType: Int32 = 0
        var adler: UInt = 0
        var reserved: UInt = 0
    }

    private typealias InitFunction = @convention(c) (UnsafeMutableRawPointer, Int32, UnsafePointer<CChar>, Int32) -> Int32
    private typealias InflateFunction = @convention(c) (UnsafeMutableRawPointer, Int32) -> Int32
    private typealias EndFunction = @convention(c) (UnsafeMutableRawPointer) -> Int32
    private typealias VersionFunction = @convention(c) () -> UnsafePointer<CChar>

    /// The zlib entry points, looked up once. Immutable after loading, hence safe to share.
    private final class Library: @unchecked Sendable {
        let initialize: InitFunction
        let inflate: InflateFunction
        let end: EndFunction
        let reset: EndFunction
        let version: VersionFunction

        init?() {
            let names: [String] = ["libz.so.1", "libz.so", "libz.1.dylib", "/usr/lib/libz.1.dylib"]
            var opened: UnsafeMutableRawPointer?
            for name in names where opened == nil { opened = dlopen(name, RTLD_NOW | RTLD_LOCAL) }
            guard let handle = opened,
                  let initialize = dlsym(handle, "inflateInit2_"), let inflate = dlsym(handle, "inflate"),
                  let end = dlsym(handle, "inflateEnd"), let reset = dlsym(handle, "inflateReset"),
                  let version = dlsym(handle, "zlibVersion")
            else { return nil }
            self.initialize = unsafeBitCast(initialize, to: InitFunction.self)
            self.inflate = unsafeBitCast(inflate, to: InflateFunction.self)
            self.end = unsafeBitCast(end, to: EndFunction.self)
            self.reset = unsafeBitCast(reset, to: EndFunction.self)
            self.version = unsafeBitCast(version, to: VersionFunction.self)
        }
    }

    private static let library = Library()

    /// Whether gzip input can be read on this system.
    static var isAvailable: Bool { library != nil }

    /// Whether bytes start with the gzip magic number.
    static func isGzip(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

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

    private let library: Library
    // The stream lives at a fixed address: zlib keeps a pointer back to it in its state.
    private let stream: UnsafeMutablePointer<Stream>

    init?() {
        guard let library = Self.library else { return nil }
        self.library = library
        stream = UnsafeMutablePointer<Stream>.allocate(capacity: 1)
        stream.initialize(to: Stream())
        // 15 + 32: the largest window, with automatic gzip/zlib header detection.
        guard library.initialize(UnsafeMutableRawPointer(stream), 15 + 32, library.version(), Int32(MemoryLayout<Stream>.size)) == 0 else {
            stream.deallocate()
            return nil
        }
    }

    deinit {
        _ = library.end(UnsafeMutableRawPointer(stream))
        stream.deallocate()
    }

    /// Inflates from `input` into `output`. A finished member is reset, so concatenated gzip files
    /// (as `cat a.gz b.gz` makes) read as one stream.
    func inflate(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(Failure) -> Step {
        guard let outputBase = output.baseAddress else { return Step(consumed: 0, produced: 0, finishedMember: false) }
        stream.pointee.nextIn = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: UInt8.self))
        stream.pointee.availIn = UInt32(min(input.count, Int(UInt32.max)))
        stream.pointee.nextOut = outputBase.assumingMemoryBound(to: UInt8.self)
        stream.pointee.availOut = UInt32(min(output.count, Int(UInt32.max)))
        let availableIn = Int(stream.pointee.availIn), availableOut = Int(stream.pointee.availOut)
        let status = library.inflate(UnsafeMutableRawPointer(stream), 0)
        let step = Step(consumed: availableIn - Int(stream.pointee.availIn), produced: availableOut - Int(stream.pointee.availOut),
                        finishedMember: status == 1)
        switch status {
        case 0, 1: break
        case -5: break // Z_BUF_ERROR: no progress possible now; the caller brings more input or space.
        default:
            let detail = stream.pointee.message.map { String(cString: $0) } ?? "error \(status)"
            throw Failure(message: "corrupt gzip data: \(detail) (expected a valid gzip stream)")
        }
        if step.finishedMember { _ = library.reset(UnsafeMutableRawPointer(stream)) }
        return step
    }

    /// Decompresses a whole buffer (standard input already read into memory).
    static func inflateAll(_ bytes: [UInt8], limit: Int) throws -> [UInt8] {
        guard let inflater = GzipInflater() else { throw Failure(message: FormatSniffer.gzipMessage) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var offset = 0
        var finishedLast = false
        try bytes.withUnsafeBytes { input in
            while true {
                let step = try chunk.withUnsafeMutableBytes { out in
                    try inflater.inflate(UnsafeRawBufferPointer(rebasing: input[offset...]), into: out)
                }
                offset += step.consumed
                output.append(contentsOf: chunk[0..<step.produced])
                if step.finishedMember { finishedLast = true } else if step.produced > 0 || step.consumed > 0 { finishedLast = false }
                if output.count > limit { throw Failure(message: "decompressed input exceeds \(limit >> 30) GiB (expected a smaller dump)") }
                if offset >= input.count && step.produced == 0 { break }
                if step.consumed == 0 && step.produced == 0 { break }
            }
        }
        guard finishedLast else { throw Failure(message: "truncated gzip data (expected the rest of the compressed stream)") }
        return output
    }
}
