/// Keeps the last `limit` bytes of a stream and counts all of them, in O(limit) memory whatever the
/// stream's length (a 2 GB flood costs `limit` bytes).
struct TailBuffer: Sendable {
    let limit: Int
    private var storage: [UInt8] = []
    /// Where the oldest byte is once the ring is full.
    private var head = 0
    private(set) var total = 0

    init(limit: Int) { self.limit = max(0, limit) }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        total += bytes.count
        guard limit > 0, bytes.count > 0 else { return }
        if bytes.count >= limit {
            storage = Array(bytes[(bytes.count - limit)...])
            head = 0
            return
        }
        var offset = 0
        if storage.count < limit {
            let take = min(limit - storage.count, bytes.count)
            storage.append(contentsOf: bytes[0..<take])
            offset = take
        }
        while offset < bytes.count {
            let run = min(bytes.count - offset, limit - head)
            storage.withUnsafeMutableBytes { destination in
                destination.baseAddress!.advanced(by: head).copyMemory(from: bytes.baseAddress!.advanced(by: offset), byteCount: run)
            }
            head = (head + run) % limit
            offset += run
        }
    }

    mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// The kept bytes, oldest first.
    var bytes: [UInt8] {
        if storage.count < limit || head == 0 { return storage }
        return Array(storage[head...]) + Array(storage[..<head])
    }
}
