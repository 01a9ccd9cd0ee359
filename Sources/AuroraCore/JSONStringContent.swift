/// The text of a JSON string's content (the bytes between its quotes), decoded as RFC 8259 says: the
/// escapes `\"` `\\` `\/` `\b` `\f` `\n` `\r` `\t` and `\uXXXX` (a surrogate pair as two), nothing else,
/// no raw control character, valid UTF-8. One decoder for every JSON reader in aurora (ingest's
/// `JSONCursor`, the Prometheus answer scanner), so a label value reads the same whichever path read it.
///
/// Strict rather than lenient: an unknown escape such as `\x` is not JSON (JSONDecoder refuses it, and
/// the Prometheus scanner must agree with JSONDecoder), and reading it as `x` would silently store a
/// label value that differs from what the writer meant; refusing it names the place instead.
package enum JSONStringContent {
    /// Why content is not a JSON string's; `offset` counts from the content's first byte.
    package enum Problem: Error, Equatable {
        /// A backslash not followed by one of the escapes above (or a `\u` without four hex digits, or
        /// a surrogate without its other half).
        case badEscape(offset: Int)
        /// A byte below 0x20 not escaped.
        case controlCharacter(offset: Int)
        /// The decoded bytes are not UTF-8.
        case invalidUTF8
    }

    /// The decoded text of `content`.
    package static func decode(_ content: UnsafeBufferPointer<UInt8>) throws(Problem) -> String {
        var utf8: [UInt8] = []
        utf8.reserveCapacity(content.count)
        var index = 0
        while index < content.count {
            let byte = content[index]
            if byte < 0x20 { throw .controlCharacter(offset: index) }
            guard byte == UInt8(ascii: "\\") else {
                utf8.append(byte)
                index += 1
                continue
            }
            let start = index
            guard index + 1 < content.count else { throw .badEscape(offset: start) }
            let escape = content[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escape)
            case UInt8(ascii: "b"): utf8.append(0x08)
            case UInt8(ascii: "f"): utf8.append(0x0C)
            case UInt8(ascii: "n"): utf8.append(0x0A)
            case UInt8(ascii: "r"): utf8.append(0x0D)
            case UInt8(ascii: "t"): utf8.append(0x09)
            case UInt8(ascii: "u"):
                guard var scalar = hex4(content, at: index) else { throw .badEscape(offset: start) }
                index += 4
                if (0xD800..<0xDC00).contains(scalar) {
                    // A surrogate pair: the low half must follow as another \u escape.
                    guard index + 1 < content.count, content[index] == UInt8(ascii: "\\"), content[index + 1] == UInt8(ascii: "u"),
                          let low = hex4(content, at: index + 2), (0xDC00..<0xE000).contains(low) else { throw .badEscape(offset: start) }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    index += 6
                }
                guard let character = Unicode.Scalar(scalar) else { throw .badEscape(offset: start) }
                utf8.append(contentsOf: String(Character(character)).utf8)
            default:
                throw .badEscape(offset: start)
            }
        }
        guard let text = String(validating: utf8, as: UTF8.self) else { throw .invalidUTF8 }
        return text
    }

    /// Four hexadecimal digits at `index`, as a number.
    private static func hex4(_ content: UnsafeBufferPointer<UInt8>, at index: Int) -> UInt32? {
        guard index + 4 <= content.count else { return nil }
        var value: UInt32 = 0
        for byte in content[index..<index + 4] {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }
}
