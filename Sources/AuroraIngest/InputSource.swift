/// One input to ingest: a path (file or directory) or bytes already read (stdin).
public enum InputSource: Sendable {
    /// A file, or a directory read recursively for files with a known extension.
    case path(String)
    /// Bytes with the name to show in messages (`<stdin>` for standard input).
    case bytes(name: String, [UInt8])

    /// The name shown in messages.
    public var displayName: String {
        switch self {
        case .path(let path): return path
        case .bytes(let name, _): return name
        }
    }

    /// File extensions picked up when a directory is given (a `.gz` file is picked up to be refused
    /// with a clear message rather than silently ignored).
    public static let knownExtensions: Set<String> = [
        "csv", "tsv", "json", "jsonl", "ndjson", "prom", "txt", "metrics", "om", "lp", "influx", "line", "gz",
    ]
}
