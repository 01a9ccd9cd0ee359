import AuroraCore

/// Reads an HTTP/1.1 response as its bytes arrive: the status line and headers, then the body as
/// `Content-Length` bytes, `chunked` pieces, or everything up to the close; the body is kept up to a
/// limit (the rest is not read: the response is complete, marked truncated, once the limit is passed).
struct ResponseReader {
    private enum Phase {
        case head
        case sized(remaining: Int)
        case untilClose
        case chunkSize
        case chunkData(remaining: Int)
        case chunkEnd
        case trailers
        case done
    }

    let bodyLimit: Int
    private var phase = Phase.head
    private var pending: [UInt8] = []
    private var status = 0
    private var headers: [String: String] = [:]
    private var body: [UInt8] = []
    private var truncated = false
    private var malformed: String?
    private var closed = false

    init(bodyLimit: Int) { self.bodyLimit = max(0, bodyLimit) }

    /// Whether the response is whole (or cut at the limit, or unreadable): nothing more needs reading.
    var isComplete: Bool {
        if case .done = phase { return true }
        return malformed != nil
    }

    /// The peer closed the connection.
    mutating func finish() {
        closed = true
        if case .untilClose = phase { phase = .done }
    }

    mutating func feed(_ bytes: UnsafeBufferPointer<UInt8>) {
        var input = bytes[...]
        while !input.isEmpty, !isComplete {
            switch phase {
            case .head:
                pending += input
                input = input[input.endIndex...]
                guard let end = Self.find([13, 10, 13, 10], in: pending) else {
                    if pending.count > 1 << 20 { malformed = "response headers larger than 1 MiB" }
                    return
                }
                let rest = Array(pending[(end + 4)...])
                parseHead(pending[..<end])
                pending = []
                if !rest.isEmpty, !isComplete { rest.withUnsafeBufferPointer { feed($0) } }
                return
            case .sized(let remaining), .chunkData(let remaining):
                let taken = min(remaining, input.count)
                keep(input.prefix(taken))
                input = input.dropFirst(taken)
                // Past the limit `keep` ended the response: the rest is not read.
                guard !truncated else { break }
                let left = remaining - taken
                if case .sized = phase {
                    phase = left == 0 ? .done : .sized(remaining: left)
                } else {
                    phase = left == 0 ? .chunkEnd : .chunkData(remaining: left)
                }
            case .untilClose:
                keep(input)
                input = input[input.endIndex...]
            case .chunkSize, .trailers:
                guard let newline = input.firstIndex(of: 10) else {
                    pending += input
                    input = input[input.endIndex...]
                    if pending.count > 64 << 10 { malformed = "a chunk header longer than 64 KiB" }
                    continue
                }
                var line = pending + input[..<newline]
                pending = []
                input = input[(newline + 1)...]
                if line.last == 13 { line.removeLast() }
                if case .trailers = phase {
                    if line.isEmpty { phase = .done }
                    continue
                }
                // `size[;extension]` in hexadecimal.
                let digits = line.prefix { $0 != 59 }.filter { $0 != 32 && $0 != 9 }
                guard !digits.isEmpty, digits.count <= 15, let size = Int(String(decoding: digits, as: UTF8.self), radix: 16) else {
                    malformed = "a chunk size that is not a number"
                    continue
                }
                phase = size == 0 ? .trailers : .chunkData(remaining: size)
            case .chunkEnd:
                // The CRLF after a chunk's data.
                if input.first == 13 { input = input.dropFirst() }
                if input.first == 10 {
                    input = input.dropFirst()
                    phase = .chunkSize
                } else if !input.isEmpty {
                    malformed = "a chunk not followed by a line break"
                }
            case .done:
                return
            }
        }
    }

    private mutating func keep(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) {
        let room = bodyLimit - body.count
        if bytes.count > room {
            body += bytes.prefix(max(0, room))
            truncated = true
            phase = .done
        } else {
            body += bytes
        }
    }

    private mutating func parseHead(_ bytes: ArraySlice<UInt8>) {
        let text = String(decoding: bytes, as: UTF8.self)
        var lines = text.split(separator: "\r\n", omittingEmptySubsequences: false)
        let statusLine = lines.isEmpty ? "" : lines.removeFirst()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let code = Int(parts[1]), (100...999).contains(code) else {
            malformed = "not an HTTP response: \(statusLine.prefix(80))"
            return
        }
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers[name] = headers[name].map { "\($0), \(value)" } ?? value
        }
        // An interim answer (100 Continue) is followed by the real one.
        if (100...199).contains(code) {
            headers = [:]
            phase = .head
            return
        }
        status = code
        if code == 204 || code == 304 {
            phase = .done
        } else if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
            phase = .chunkSize
        } else if let length = headers["content-length"].flatMap({ Int($0) }), length >= 0 {
            phase = length == 0 ? .done : .sized(remaining: length)
        } else {
            phase = .untilClose
            if closed { phase = .done }
        }
    }

    /// The response, or why there is none.
    func response() -> Result<HTTPResponseData, HTTPTransportError> {
        if let malformed { return .failure(.other(malformed)) }
        switch phase {
        case .done:
            return .success(HTTPResponseData(status: status, headers: headers, body: body, bodyTruncated: truncated))
        case .head:
            return .failure(.other("the connection closed before a response"))
        default:
            return .failure(.other("the connection closed in the middle of the response body"))
        }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<start + needle.count].elementsEqual(needle) { return start }
        }
        return nil
    }
}
