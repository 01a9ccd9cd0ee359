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
