import AuroraCore
import Foundation

/// A buffered byte stream for stdout or stderr, or an in-memory capture for tests.
///
/// Data goes out in large blocks: printing a scored CSV row by row through `print` costs more than
/// scoring it.
package final class OutputStream {
    private enum Target {
        case descriptor(Int32)
        case memory
    }

    private let target: Target
    private var buffer: [UInt8] = []
    private var captured: [UInt8] = []
    /// Whether the stream is a terminal (colour and progress only then).
    package let isTerminal: Bool
    private static let blockSize = 1 << 16

    /// A stream writing to a file descriptor (1 or 2).
    package init(descriptor: Int32) {
        target = .descriptor(descriptor)
        isTerminal = isatty(descriptor) == 1
        buffer.reserveCapacity(Self.blockSize)
    }

    /// A stream kept in memory; `text` returns what was written.
    package init(capturingAsTerminal isTerminal: Bool = false) {
        target = .memory
        self.isTerminal = isTerminal
    }

    deinit { flush() }

    package func write(_ text: String) {
        var text = text
        text.withUTF8 { write(bytes: $0) }
    }

    /// Writes a line for people (adds the newline). Control characters are shown escaped
    /// (`TerminalText.safe`): lines carry series names, label values and input that whoever writes
    /// the metrics controls, and one line must stay one line that cannot drive the terminal. Data
    /// that must pass byte for byte (CSV, scores, generated files) goes through `write`.
    package func line(_ text: String = "") {
        write(TerminalText.safe(text))
        buffer.append(0x0A)
        if buffer.count >= Self.blockSize { flush() }
    }

    package func write(bytes: UnsafeBufferPointer<UInt8>) {
        // A large block goes straight to the descriptor instead of through the buffer (one copy less).
        if case .descriptor(let descriptor) = target, bytes.count >= Self.blockSize {
            flush()
            writeAll(descriptor, UnsafeRawBufferPointer(bytes))
            return
        }
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.blockSize { flush() }
    }

    package func write(bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.blockSize { flush() }
    }

    /// Sends buffered bytes on. Interactive prompts call this before waiting for input.
    package func flush() {
        guard !buffer.isEmpty else { return }
        switch target {
        case .memory:
            captured.append(contentsOf: buffer)
        case .descriptor(let descriptor):
            buffer.withUnsafeBytes { writeAll(descriptor, $0) }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ descriptor: Int32, _ raw: UnsafeRawBufferPointer) {
        guard let base = raw.baseAddress else { return }
        var offset = 0
        while offset < raw.count {
            let written = Foundation.write(descriptor, base + offset, raw.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return // EPIPE and friends: the reader went away; nothing useful to do
            }
            offset += written
        }
    }

    /// Everything written so far (memory streams only).
    package var text: String {
        flush()
        return String(decoding: captured, as: UTF8.self)
    }
}
