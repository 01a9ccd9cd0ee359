import AuroraCore
import Testing

/// The one JSON string decoder (ingest's JSONCursor and the Prometheus answer scanner both call it):
/// RFC 8259's escapes and nothing else.
@Suite struct JSONStringContentTests {
    static func decode(_ content: String) throws(JSONStringContent.Problem) -> String {
        let bytes = Array(content.utf8)
        return try bytes.withUnsafeBufferPointer { buffer throws(JSONStringContent.Problem) in try JSONStringContent.decode(buffer) }
    }

    @Test func everyEscapeJSONHasIsDecoded() throws {
        #expect(try Self.decode(#"a \"q\" \\ \/ \b\f\n\r\t \u00e9 \u20AC \ud83d\ude00 ü"#) == "a \"q\" \\ / \u{8}\u{C}\n\r\t é € 😀 ü")
        #expect(try Self.decode("") == "")
        #expect(try Self.decode(#"\u0000"#) == "\u{0}")
    }

    @Test func anythingElseIsRefusedWhereItIs() {
        let refused: [(String, JSONStringContent.Problem)] = [
            (#"ab\x41"#, .badEscape(offset: 2)),
            (#"\'"#, .badEscape(offset: 0)),
            (#"a\"#, .badEscape(offset: 1)),
            (#"\u12g4"#, .badEscape(offset: 0)),
            (#"\u12"#, .badEscape(offset: 0)),
            (#"x\ud83d"#, .badEscape(offset: 1)),
            (#"\ud83d\u0041"#, .badEscape(offset: 0)),
            (#"\ude00"#, .badEscape(offset: 0)),
            ("a\tb", .controlCharacter(offset: 1)),
            ("a\nb", .controlCharacter(offset: 1)),
        ]
        for (content, problem) in refused {
            #expect(throws: problem, "\(content)") { try Self.decode(content) }
        }
        let invalid: [UInt8] = [0x61, 0xFF]
        #expect(throws: JSONStringContent.Problem.invalidUTF8) {
            try invalid.withUnsafeBufferPointer { buffer throws(JSONStringContent.Problem) in try JSONStringContent.decode(buffer) }
        }
    }
}
