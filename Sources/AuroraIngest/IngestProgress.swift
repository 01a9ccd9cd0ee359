/// Reading progress, reported after every chunk so a terminal can show bytes read and a rate.
package struct IngestProgress: Sendable {
    /// The input being read.
    package var input: String
    /// Bytes of that input read so far (decompressed bytes for gzip input).
    package var bytesRead: Int
    /// The input's size in bytes when known (regular uncompressed files), nil otherwise.
    package var inputSize: Int?
}
