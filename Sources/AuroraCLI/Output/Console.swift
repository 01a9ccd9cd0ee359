import AuroraCore
import Foundation

/// Where a command reads and writes: stdout for data, stderr for people.
public final class Console {
    public let out: OutputStream
    public let err: OutputStream
    public let input: any InputReader
    /// Colour on stdout (a terminal, `NO_COLOR` unset, `TERM` not `dumb`, no `--no-color`).
    public var colorOut: Bool
    /// Colour on stderr, by the same rule.
    public var colorErr: Bool

    public init(out: OutputStream, err: OutputStream, input: any InputReader, colorOut: Bool = false, colorErr: Bool = false) {
        self.out = out
        self.err = err
        self.input = input
        self.colorOut = colorOut
        self.colorErr = colorErr
    }

    /// The process's own streams.
    public static func standard() -> Console {
        Console(out: OutputStream(descriptor: 1), err: OutputStream(descriptor: 2), input: StandardInput())
    }

    /// In-memory streams for tests: `stdin` is what the command will read.
    public static func capturing(stdin: [UInt8] = [], lines: [String] = [], terminal: Bool = false) -> Console {
        Console(out: OutputStream(capturingAsTerminal: terminal), err: OutputStream(capturingAsTerminal: terminal),
                input: ScriptedInput(bytes: stdin, lines: lines, isTerminal: terminal))
    }

    public func flush() {
        out.flush()
        err.flush()
    }
}

/// Standard input, or a script of it in tests.
public protocol InputReader: AnyObject {
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
public final class StandardInput: InputReader {
    public init() {}
    public var isTerminal: Bool { isatty(0) == 1 }

    public func readAll() throws -> [UInt8] {
        var result: [UInt8] = []
        while true {
            let chunk = try read(maximum: 1 << 20)
            if chunk.isEmpty { return result }
            result.append(contentsOf: chunk)
        }
    }

    public func read(maximum: Int) throws -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: maximum)
        while true {
            let count = chunk.withUnsafeMutableBytes { Foundation.read(0, $0.baseAddress, maximum) }
            if count < 0 && errno == EINTR { continue }
            if count < 0 { throw SimpleFailure(.ioError, "<stdin>: read failed (\(String(cString: strerror(errno))))") }
            return Array(chunk.prefix(count))
        }
    }

    public func prompt(_ text: String, completions: [String]) -> String? {
        LineEditor.readLine(prompt: text, completions: completions)
    }
}

/// Scripted stdin for tests: bytes for `-`, and lines answering prompts.
public final class ScriptedInput: InputReader {
    private var bytes: [UInt8]
    private var lines: [String]
    public let isTerminal: Bool
    /// The prompts shown, in order.
    public private(set) var prompts: [String] = []

    public init(bytes: [UInt8] = [], lines: [String] = [], isTerminal: Bool = false) {
        self.bytes = bytes
        self.lines = lines
        self.isTerminal = isTerminal
    }

    public func readAll() throws -> [UInt8] {
        defer { bytes = [] }
        return bytes
    }

    public func read(maximum: Int) throws -> [UInt8] {
        let chunk = Array(bytes.prefix(maximum))
        bytes.removeFirst(chunk.count)
        return chunk
    }

    public func prompt(_ text: String, completions: [String]) -> String? {
        prompts.append(text)
        return lines.isEmpty ? nil : lines.removeFirst()
    }
}

