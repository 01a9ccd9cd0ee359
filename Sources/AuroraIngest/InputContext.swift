import AuroraCore

/// Per-input state shared by the parsers: the name for messages, options and the counters that are
/// not per series.
struct InputContext {
    let name: String
    let options: IngestOptions
    var lines = 0
    var badLines = 0
    var badLineErrors: [LocatedError] = []
    var nonNumeric = 0
    var progress: (@Sendable (IngestProgress) -> Void)?

    init(name: String, options: IngestOptions) {
        self.name = name
        self.options = options
        progress = options.progress
    }

    /// Counts a skipped line and keeps its message while there is room.
    mutating func recordBadLine(_ error: LocatedError) {
        badLines += 1
        if badLineErrors.count < options.keptBadLineMessages { badLineErrors.append(error) }
    }

    /// The input's size when known (a regular, uncompressed file), for a percentage.
    var inputSize: Int?

    func reportProgress(bytesRead: Int) {
        progress?(IngestProgress(input: name, bytesRead: bytesRead, inputSize: inputSize))
    }

    /// An error at a line and 1-based column of this input.
    func error(line: Int, column: Int, _ message: String) -> LocatedError {
        LocatedError(SourceLocation(file: name, line: line, column: column), message)
    }
}

/// Reading progress, reported after every chunk so a terminal can show bytes read and a rate.
public struct IngestProgress: Sendable {
    /// The input being read.
    public var input: String
    /// Bytes of that input read so far (decompressed bytes for gzip input).
    public var bytesRead: Int
    /// The input's size in bytes when known (regular uncompressed files), nil otherwise.
    public var inputSize: Int?
}

/// Renders input bytes for a message: quoted, at most 40 bytes, control and invalid bytes escaped.
enum Snippet {
    static func quote(_ base: UnsafePointer<UInt8>, _ count: Int) -> String {
        quote(UnsafeBufferPointer(start: base, count: count))
    }

    static func quote(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let limit = 40
        let shown = UnsafeBufferPointer(rebasing: bytes.prefix(limit))
        var text = ""
        if let valid = String(validating: shown, as: UTF8.self), !valid.unicodeScalars.contains(where: { $0.value < 0x20 }) {
            text = valid
        } else {
            for byte in shown {
                if byte >= 0x20 && byte < 0x7F { text.append(Character(Unicode.Scalar(byte))) } else {
                    text += "\\x" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
                }
            }
        }
        return "\"" + text + (bytes.count > limit ? "…" : "") + "\""
    }

    static func quote(_ bytes: UnsafeRawBufferPointer) -> String {
        quote(bytes.assumingMemoryBound(to: UInt8.self))
    }
}
