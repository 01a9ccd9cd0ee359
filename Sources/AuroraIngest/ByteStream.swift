import AuroraCore
import Foundation

/// Receives the lines of an input, one call per line, so the parser's loop is specialised per format.
protocol LineSink {
    /// One line without its `\n` (and without a trailing `\r`); `number` counts from 1.
    mutating func consume(line: UnsafeRawBufferPointer, number: Int) throws
}

/// An input read in 4 MiB chunks (a file descriptor) or already in memory (stdin, tests).
///
/// Only the current chunk and one partial line are held, so a file of any size needs a bounded buffer
/// beyond its points. A line longer than the buffer grows it, up to `maxLineBytes`.
final class ByteStream {
    static let chunkSize = 4 << 20

    let name: String
    private let descriptor: Int32
    private let memory: [UInt8]?
    private var buffer: UnsafeMutableRawPointer
    private var capacity: Int
    private var filled = 0
    private var atEnd = false
    private(set) var bytesRead = 0
    private let maxLineBytes: Int
    /// The size of a regular file, to size arrays once instead of growing them (nil for pipes and
    /// compressed files).
    private(set) var fileSize: Int?
    /// Set when the file is gzip-compressed: chunks are inflated from `compressed` into `buffer`.
    private var inflater: GzipInflater?
    private var compressed: UnsafeMutableRawPointer?
    private var compressedStart = 0
    private var compressedFilled = 0
    private var compressedAtEnd = false
    private var memberEnded = false
    static let compressedChunkSize = 1 << 20
    /// Whether the first bytes still have to be looked at for the gzip magic number (done on the
    /// first read, so pipes are detected too).
    private var detectionPending = true
    private var compressedChunk = ByteStream.compressedChunkSize
    private let ownsDescriptor: Bool
    /// gzip bytes given in memory (`.bytes` input): read like a descriptor, through the inflater.
    private var rawMemory: [UInt8]?
    private var rawMemoryOffset = 0
    /// How far gzip input may inflate, and the compressed bytes inflated so far.
    private let inflation: InflationLimit
    private var compressedConsumed = 0
    /// Bytes of `buffer` already handed out by `read(into:)` (JSON documents read through a window).
    private var handedOut = 0

    /// Opens a file for reading.
    init(path: String, maxLineBytes: Int, inflation: InflationLimit = .standard) throws {
        self.inflation = inflation
        name = path
        let opened = open(path, O_RDONLY)
        guard opened >= 0 else {
            let code = errno
            if code == ENOENT { throw IngestError.missingInput(path: path) }
            throw IngestError.unreadable(path: path, reason: String(cString: strerror(code)))
        }
        descriptor = opened
        ownsDescriptor = true
        memory = nil
        var status = stat()
        if fstat(opened, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG { fileSize = Int(status.st_size) }
        // A small file gets a buffer its size (plus one byte to see the end), not a whole chunk.
        capacity = min(Self.chunkSize, max(4096, (fileSize ?? Self.chunkSize) + 1))
        buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        self.maxLineBytes = maxLineBytes
    }

    /// Reads an open descriptor (standard input) to its end, in chunks, without closing it.
    init(descriptor: Int32, name: String, maxLineBytes: Int, inflation: InflationLimit = .standard) {
        self.inflation = inflation
        self.name = name
        self.descriptor = descriptor
        ownsDescriptor = false
        memory = nil
        var status = stat()
        if fstat(descriptor, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG { fileSize = Int(status.st_size) }
        capacity = min(Self.chunkSize, max(4096, (fileSize ?? Self.chunkSize) + 1))
        buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        self.maxLineBytes = maxLineBytes
    }

    /// Wraps bytes already in memory. gzip bytes are inflated as they are read, like a file's.
    init(name: String, bytes: [UInt8], maxLineBytes: Int, inflation: InflationLimit = .standard) {
        self.name = name
        self.inflation = inflation
        descriptor = -1
        ownsDescriptor = false
        self.maxLineBytes = maxLineBytes
        if bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B {
            memory = nil
            rawMemory = bytes
            capacity = Self.chunkSize
            buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
            return
        }
        memory = bytes
        capacity = 0
        buffer = UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 16)
        bytesRead = bytes.count
        fileSize = bytes.count
    }

    /// Reads raw (possibly compressed) bytes from the descriptor or the in-memory gzip bytes.
    private func readRaw(into target: UnsafeMutableRawPointer, count: Int) throws -> Int {
        if let rawMemory {
            let taken = min(count, rawMemory.count - rawMemoryOffset)
            rawMemory.withUnsafeBytes { (target).copyMemory(from: $0.baseAddress! + rawMemoryOffset, byteCount: taken) }
            rawMemoryOffset += taken
            return taken
        }
        while true {
            let result = Foundation.read(descriptor, target, count)
            if result >= 0 { return result }
            if errno != EINTR { throw IngestError.unreadable(path: name, reason: String(cString: strerror(errno))) }
        }
    }

    deinit {
        buffer.deallocate()
        compressed?.deallocate()
        if ownsDescriptor { close(descriptor) }
    }

    /// Reads until the buffer is full or the input ends; false when nothing more came.
    private func fill() throws -> Bool {
        try detectCompression()
        if let inflater, let compressed { return try fillInflating(inflater, compressed) }
        var added = 0
        while filled < capacity {
            let count = try readRaw(into: buffer + filled, count: capacity - filled)
            if count == 0 {
                atEnd = true
                break
            }
            filled += count
            added += count
            bytesRead += count
        }
        return added > 0
    }

    /// Reads the first bytes raw and, when they are the gzip magic number and zlib can be loaded,
    /// switches to inflating: what was read becomes the start of the compressed stream.
    private func detectCompression() throws {
        guard detectionPending else { return }
        detectionPending = false
        let probe = min(capacity, 1 << 16)
        while filled < 2 && !atEnd {
            let count = try readRaw(into: buffer + filled, count: probe - filled)
            if count == 0 { atEnd = true }
            filled += count
        }
        let isGzip = filled >= 2 && buffer.load(as: UInt8.self) == 0x1F && buffer.load(fromByteOffset: 1, as: UInt8.self) == 0x8B
        guard isGzip, let inflater = GzipInflater() else {
            // Plain bytes given in memory never get here (they are `memory`); gzip ones always inflate.
            bytesRead += filled
            return
        }
        let size = max(Self.compressedChunkSize, filled)
        let compressed = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        compressed.copyMemory(from: buffer, byteCount: filled)
        compressedFilled = filled
        compressedChunk = size
        compressedAtEnd = atEnd
        self.compressed = compressed
        self.inflater = inflater
        atEnd = false
        filled = 0
        fileSize = nil
        if capacity < Self.chunkSize {
            buffer.deallocate()
            capacity = Self.chunkSize
            buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        }
    }

    /// `fill` for gzip files: reads compressed chunks and inflates them into the line buffer.
    private func fillInflating(_ inflater: GzipInflater, _ compressed: UnsafeMutableRawPointer) throws -> Bool {
        var added = 0
        while filled < capacity {
            if compressedStart == compressedFilled && !compressedAtEnd {
                let count = try readRaw(into: compressed, count: compressedChunk)
                compressedStart = 0
                compressedFilled = count
                if count == 0 { compressedAtEnd = true }
            }
            let input = UnsafeRawBufferPointer(start: compressed + compressedStart, count: compressedFilled - compressedStart)
            let step: GzipInflater.Step
            do {
                step = try inflater.inflate(input, into: UnsafeMutableRawBufferPointer(start: buffer + filled, count: capacity - filled))
            } catch {
                throw FatalInputError(error: LocatedError(SourceLocation(file: name, line: 1, column: 1), error.message))
            }
            compressedStart += step.consumed
            compressedConsumed += step.consumed
            filled += step.produced
            added += step.produced
            bytesRead += step.produced
            if let violation = inflation.violation(inflated: bytesRead, compressed: compressedConsumed) {
                throw FatalInputError(error: LocatedError(SourceLocation(file: name, line: 1, column: 1), violation))
            }
            if step.finishedMember { memberEnded = true } else if step.produced > 0 { memberEnded = false }
            if compressedAtEnd && compressedStart == compressedFilled && step.produced == 0 {
                guard memberEnded else {
                    throw FatalInputError(error: LocatedError(SourceLocation(file: name, line: 1, column: 1),
                                                              "truncated gzip data (expected the rest of the compressed stream)"))
                }
                atEnd = true
                break
            }
        }
        return added > 0
    }

    /// The first bytes of the input (up to one chunk), for sniffing. Does not consume them.
    func prefix(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        if let memory {
            try memory.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0.prefix(1 << 20))) }
            return
        }
        if filled == 0 && !atEnd { _ = try fill() }
        try body(UnsafeRawBufferPointer(start: buffer, count: filled))
    }

    /// A JSON cursor over the whole input, never holding it whole in memory: a regular uncompressed
    /// file is mapped (pages already parsed are dropped as the cursor passes them), bytes in memory are
    /// read in place, and everything else (pipes, gzip) is read through a window that slides forward
    /// as the cursor does.
    func jsonCursor<T>(_ body: (inout JSONCursor) throws -> T) throws -> T {
        if let memory {
            let bytes = memory.isEmpty ? [0] : memory
            return try bytes.withUnsafeBufferPointer { buffer in
                var cursor = JSONCursor(base: buffer.baseAddress!, count: memory.count)
                return try body(&cursor)
            }
        }
        try detectCompression()
        var status = stat()
        if inflater == nil && fstat(descriptor, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG && status.st_size > 0 {
            let size = Int(status.st_size)
            if let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), mapped != MAP_FAILED {
                defer { munmap(mapped, size) }
                madvise(mapped, size, MADV_SEQUENTIAL)
                bytesRead = size
                var cursor = JSONCursor(base: mapped.assumingMemoryBound(to: UInt8.self), count: size)
                cursor.releaseEvery = 16 << 20
                return try body(&cursor)
            }
        }
        let window = JSONWindow(maxTokenBytes: maxLineBytes) { [unowned self] target, count in try self.read(into: target, count: count) }
        var cursor = JSONCursor(window: window)
        return try body(&cursor)
    }

    /// Up to `count` bytes of the (inflated) input, in order; 0 at the end.
    private func read(into target: UnsafeMutableRawPointer, count: Int) throws -> Int {
        if handedOut == filled {
            if atEnd { return 0 }
            filled = 0
            handedOut = 0
            _ = try fill()
            if filled == 0 { return 0 }
        }
        let taken = min(count, filled - handedOut)
        target.copyMemory(from: buffer + handedOut, byteCount: taken)
        handedOut += taken
        return taken
    }

    /// Calls the sink once per line. Located errors from the sink are counted instead of thrown when
    /// `skipBadLines` is set; `FatalInputError`s always end the input.
    ///
    /// `afterChunk` runs after the lines of each chunk read from a descriptor, so a caller can take
    /// what the sink gathered and keep memory bounded by one chunk; it is not called after the last
    /// lines (the caller handles those once this returns).
    func forEachLine<Sink: LineSink>(_ sink: inout Sink, context: inout InputContext,
                                     afterChunk: ((inout Sink) throws -> Void)? = nil) throws {
        var lineNumber = 0
        if let memory {
            try memory.withUnsafeBytes { bytes in
                _ = try Self.scanLines(bytes, final: true, lineNumber: &lineNumber, sink: &sink, context: &context)
            }
            context.lines = lineNumber
            context.reportProgress(bytesRead: bytesRead)
            return
        }
        var start = 0
        while true {
            if filled == start && atEnd { break }
            if filled > start {
                let window = UnsafeRawBufferPointer(start: buffer + start, count: filled - start)
                start += try Self.scanLines(window, final: atEnd, lineNumber: &lineNumber, sink: &sink, context: &context)
            }
            if atEnd { break }
            try afterChunk?(&sink)
            // Keep the partial line, then read more after it.
            let rest = filled - start
            if start > 0 && rest > 0 { memmove(buffer, buffer + start, rest) }
            filled = rest
            start = 0
            if filled == capacity {
                guard capacity < maxLineBytes else {
                    throw FatalInputError(error: LocatedError(
                        SourceLocation(file: name, line: lineNumber + 1, column: 1),
                        "line is longer than \(maxLineBytes >> 20) MiB (expected lines separated by newlines)"))
                }
                let grown = min(capacity * 2, maxLineBytes)
                let bigger = UnsafeMutableRawPointer.allocate(byteCount: grown, alignment: 16)
                bigger.copyMemory(from: buffer, byteCount: filled)
                buffer.deallocate()
                buffer = bigger
                capacity = grown
            }
            _ = try fill()
            context.reportProgress(bytesRead: bytesRead)
        }
        context.reportProgress(bytesRead: bytesRead)
        if capacity > Self.chunkSize {
            // Give back a buffer grown for one long line.
            buffer.deallocate()
            capacity = 4096
            buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        }
        context.lines = lineNumber
    }

    /// Delivers the complete lines of `window` (and the partial last one when `final`); returns how
    /// many bytes were consumed.
    @inline(__always)
    private static func scanLines<Sink: LineSink>(_ window: UnsafeRawBufferPointer, final: Bool, lineNumber: inout Int,
                                                  sink: inout Sink, context: inout InputContext) throws -> Int {
        guard let base = window.baseAddress else { return 0 }
        let count = window.count
        var start = 0
        while start < count {
            let end: Int
            if let hit = memchr(base + start, 0x0A, count - start) {
                end = base.distance(to: UnsafeRawPointer(hit))
            } else if final {
                end = count
            } else {
                break
            }
            var lineEnd = end
            if lineEnd > start && base.load(fromByteOffset: lineEnd - 1, as: UInt8.self) == 0x0D { lineEnd -= 1 }
            lineNumber += 1
            var lineStart = start
            if lineNumber == 1 && lineEnd - lineStart >= 3 && base.load(fromByteOffset: 0, as: UInt8.self) == 0xEF
                && base.load(fromByteOffset: 1, as: UInt8.self) == 0xBB && base.load(fromByteOffset: 2, as: UInt8.self) == 0xBF {
                lineStart += 3
            }
            do {
                try sink.consume(line: UnsafeRawBufferPointer(start: base + lineStart, count: lineEnd - lineStart), number: lineNumber)
            } catch let error as LocatedError {
                guard context.options.skipBadLines else { throw error }
                context.recordBadLine(error)
            }
            start = end + 1
        }
        return min(start, count)
    }
}
