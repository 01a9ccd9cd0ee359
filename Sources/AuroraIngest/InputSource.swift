/// One input to ingest: a path (file or directory) or bytes already read (stdin).
package enum InputSource: Sendable {
    /// A file, or a directory read recursively for files with a known extension.
    case path(String)
    /// Bytes with the name to show in messages.
    case bytes(name: String, [UInt8])
    /// An open descriptor read to its end in chunks and left open: standard input as
    /// `.descriptor(name: "<stdin>", 0)`, so `zcat dump.gz | aurora detect -` needs no more memory than
    /// a file would.
    case descriptor(name: String, Int32)

    /// The name shown in messages.
    package var displayName: String {
        switch self {
        case .path(let path): return path
        case .bytes(let name, _): return name
        case .descriptor(let name, _): return name
        }
    }

    /// File extensions picked up when a directory is given. Any input, file, descriptor or bytes, whose
    /// content starts with the gzip magic number is inflated on the fly through the system zlib, within
    /// the limits of `IngestOptions.maxInflatedBytes` and `maxInflationRatio`.
    package static let knownExtensions: Set<String> = [
        "csv", "tsv", "json", "jsonl", "ndjson", "prom", "txt", "metrics", "om", "lp", "influx", "line", "gz",
    ]
}
