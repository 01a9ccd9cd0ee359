/// Reading progress, reported after every chunk so a terminal can show bytes read and a rate.
public struct IngestProgress: Sendable {
    /// The input being read.
    public var input: String
    /// Bytes of that input read so far (decompressed bytes for gzip input).
    public var bytesRead: Int
    /// The input's size in bytes when known (regular uncompressed files), nil otherwise.
    public var inputSize: Int?
}
