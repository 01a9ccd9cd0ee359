import AuroraCore
import Testing
@testable import AuroraHTTP

/// The socket transport's response parser, fed the bytes in pieces of every size, as a socket may.
@Suite struct ResponseReaderTests {
    static func read(_ text: String, limit: Int = 1 << 20, piece: Int, close: Bool = true) -> Result<HTTPResponseData, HTTPTransportError> {
        var reader = ResponseReader(bodyLimit: limit)
        let bytes = Array(text.utf8)
        var start = 0
        while start < bytes.count, !reader.isComplete {
            let end = min(start + piece, bytes.count)
            bytes[start..<end].withUnsafeBufferPointer { reader.feed($0) }
            start = end
        }
        if close { reader.finish() }
        return reader.response()
    }

    @Test func aChunkedBodyIsJoinedWhateverThePieces() throws {
        let text = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5\r\nhello\r\n1;name=x\r\n,\r\n6\r\n world\r\n0\r\nX-Trailer: 1\r\n\r\n"
        for piece in 1...text.utf8.count {
            let response = try Self.read(text, piece: piece, close: false).get()
            #expect(response.status == 200)
            #expect(String(decoding: response.body, as: UTF8.self) == "hello, world", "pieces of \(piece)")
            #expect(response.headers["content-type"] == "application/json")
        }
    }

    @Test func aSizedBodyEndsAtItsLengthAndAnUnsizedOneAtTheClose() throws {
        let sized = try Self.read("HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nabcdef", piece: 4, close: false).get()
        #expect(sized.status == 404 && sized.body == Array("abc".utf8))
        let unsized = try Self.read("HTTP/1.0 200 OK\r\n\r\nto the end", piece: 3).get()
        #expect(unsized.body == Array("to the end".utf8))
        let interim = try Self.read("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n", piece: 7, close: false).get()
        #expect(interim.status == 204 && interim.body.isEmpty)
    }

    @Test func theBodyIsCutAtTheLimitAndBrokenAnswersAreFailures() throws {
        let cut = try Self.read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\na\r\n0123456789\r\n0\r\n\r\n", limit: 4, piece: 5, close: false).get()
        #expect(cut.body == Array("0123".utf8) && cut.bodyTruncated)
        #expect(throws: HTTPTransportError.self) { try Self.read("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", piece: 100).get() }
        #expect(throws: HTTPTransportError.self) { try Self.read("SSH-2.0-OpenSSH\r\n\r\n", piece: 100).get() }
        #expect(throws: HTTPTransportError.self) { try Self.read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", piece: 100).get() }
    }

    @Test func aResponseIsCompleteOnceItsBodyPassesTheLimitWithoutWaitingForTheRest() throws {
        for head in ["HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\na\r\n"] {
            // Only 6 of the 10 body bytes ever arrive, and the connection stays open.
            for piece in 1...8 {
                let cut = try Self.read(head + "012345", limit: 4, piece: piece, close: false).get()
                #expect(cut.body == Array("0123".utf8) && cut.bodyTruncated, "\(head) pieces of \(piece)")
            }
        }
    }

    @Test func plainURLsAreSplitAndOthersLeftToURLSession() {
        #expect(PlainURL("http://127.0.0.1:9090/api/v1/query?x=1") == PlainURL(host: "127.0.0.1", port: 9090, target: "/api/v1/query?x=1"))
        #expect(PlainURL("HTTP://prom?x") == PlainURL(host: "prom", port: 80, target: "/?x"))
        #expect(PlainURL("http://[::1]:8080") == PlainURL(host: "::1", port: 8080, target: "/"))
        #expect(PlainURL("http://[::1]:8080")?.hostHeader == "[::1]:8080")
        #expect(PlainURL("https://prom:9090/") == nil)
        #expect(PlainURL("http://user:secret@prom/") == nil)
        #expect(PlainURL("http://prom:0/") == nil)
        #expect(PlainURL("http://prom/a b") == nil)
    }
}
