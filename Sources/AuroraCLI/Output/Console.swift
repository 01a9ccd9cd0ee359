import AuroraCore
import Foundation

/// Where a command reads and writes: stdout for data, stderr for people.
package final class Console {
    package let out: OutputStream
    package let err: OutputStream
    package let input: any InputReader
    /// Colour on stdout (a terminal, `NO_COLOR` unset, `TERM` not `dumb`, no `--no-color`).
    package var colorOut: Bool
    /// Colour on stderr, by the same rule.
    package var colorErr: Bool

    package init(out: OutputStream, err: OutputStream, input: any InputReader, colorOut: Bool = false, colorErr: Bool = false) {
        self.out = out
        self.err = err
        self.input = input
        self.colorOut = colorOut
        self.colorErr = colorErr
    }

    /// The process's own streams.
    package static func standard() -> Console {
        Console(out: OutputStream(descriptor: 1), err: OutputStream(descriptor: 2), input: StandardInput())
    }

    /// In-memory streams for tests: `stdin` is what the command will read.
    package static func capturing(stdin: [UInt8] = [], lines: [String] = [], terminal: Bool = false) -> Console {
        Console(out: OutputStream(capturingAsTerminal: terminal), err: OutputStream(capturingAsTerminal: terminal),
                input: ScriptedInput(bytes: stdin, lines: lines, isTerminal: terminal))
    }

    package func flush() {
        out.flush()
        err.flush()
    }
}

/// Standard input, or a script of it in tests.
package protocol InputReader: AnyObject {
    /// Whether stdin is a terminal: prompts are only shown then.
    var isTerminal: Bool { get }
    /// Reads all of stdin (for `-` as a file argument).
    func readAll() throws -> [UInt8]
    /// Reads a chunk of at most `maximum` bytes; empty at the end.
    func read(maximum: Int) throws -> [UInt8]
    /// Shows a prompt and reads one line (readline on a terminal); nil at end of input.
    func prompt(_ text: String, completions: [String]) -> String?
}

/// The process's stdin, with GNU readline for prompts.
package final class StandardInput: InputReader {
    package init() {}
    package var isTerminal: Bool { isatty(0) == 1 }

    package func readAll() throws -> [UInt8] {
        var result: [UInt8] = []
        while true {
            let chunk = try read(maximum: 1 << 20)
            if chunk.isEmpty { return result }
            result.append(contentsOf: chunk)
        }
    }

    package func read(maximum: Int) throws -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: maximum)
        while true {
            let count = chunk.withUnsafeMutableBytes { Foundation.read(0, $0.baseAddress, maximum) }
            if count < 0 && errno == EINTR { continue }
            if count < 0 { throw SimpleFailure(.ioError, "<stdin>: read failed (\(String(cString: strerror(errno))))") }
            return Array(chunk.prefix(count))
        }
    }

    package func prompt(_ text: String, completions: [String]) -> String? {
        LineEditor.readLine(prompt: text, completions: completions)
    }
}

/// Scripted stdin for tests: bytes for `-`, and lines answering prompts.
package final class ScriptedInput: InputReader {
    private var bytes: [UInt8]
    private var lines: [String]
    package let isTerminal: Bool
    /// The prompts shown, in order.
    package private(set) var prompts: [String] = []

    package init(bytes: [UInt8] = [], lines: [String] = [], isTerminal: Bool = false) {
        self.bytes = bytes
        self.lines = lines
        self.isTerminal = isTerminal
    }

    package func readAll() throws -> [UInt8] {
        defer { bytes = [] }
        return bytes
    }

    package func read(maximum: Int) throws -> [UInt8] {
        let chunk = Array(bytes.prefix(maximum))
        bytes.removeFirst(chunk.count)
        return chunk
    }

    package func prompt(_ text: String, completions: [String]) -> String? {
        prompts.append(text)
        return lines.isEmpty ? nil : lines.removeFirst()
    }
}

