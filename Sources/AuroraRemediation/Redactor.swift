import Foundation

/// Replaces every occurrence of each secret by `***`, in the forms a secret takes on its way through
/// aurora and the tools it runs: raw, JSON-escaped, percent-encoded (upper/lower hex, `+` for space),
/// and base64 / base64url — also when the secret sits inside a larger base64 text (HTTP Basic
/// `user:secret`), by matching the characters that only the secret's bytes determine at each of the
/// three byte alignments.
///
/// Secrets shorter than 4 bytes are redacted only in their raw form: their encoded fragments are so
/// short they would mask unrelated text.
package struct Redactor: Sendable {
    /// The replacement text.
    package static let mask = "***"

    /// Every form to replace, longest first so that a longer form is not broken up by a shorter one.
    package let patterns: [[UInt8]]

    /// A redactor for these secret values (empty values are ignored).
    package init(secrets: [String]) {
        var forms = Set<[UInt8]>()
        for secret in secrets where !secret.isEmpty {
            forms.insert(Array(secret.utf8))
            guard secret.utf8.count >= 4 else { continue }
            forms.insert(Array(Escaping.jsonEscape(secret).utf8))
            forms.insert(Array(Escaping.percentEncode(secret).utf8))
            forms.insert(Array(Escaping.percentEncode(secret, uppercaseHex: false).utf8))
            forms.insert(Array(Escaping.percentEncode(secret).replacingOccurrences(of: "%20", with: "+").utf8))
            // Encoders disagree on which characters to escape: cover the common choices, in both hex cases.
            for allowed in [CharacterSet.alphanumerics, .urlQueryAllowed, .urlPathAllowed, .urlHostAllowed, .urlUserAllowed, .urlPasswordAllowed] {
                guard let encoded = secret.addingPercentEncoding(withAllowedCharacters: allowed) else { continue }
                forms.insert(Array(encoded.utf8))
                forms.insert(Array(Self.lowercasingHex(encoded).utf8))
            }
            for fragment in Self.base64Fragments(Array(secret.utf8)) where fragment.count >= 4 {
                forms.insert(fragment)
                forms.insert(fragment.map { $0 == UInt8(ascii: "+") ? UInt8(ascii: "-") : $0 == UInt8(ascii: "/") ? UInt8(ascii: "_") : $0 })
            }
        }
        patterns = forms.sorted { $0.count != $1.count ? $0.count > $1.count : $0.lexicographicallyPrecedes($1) }
    }

    /// The text with every secret form masked.
    package func redact(_ text: String) -> String {
        if patterns.isEmpty { return text }
        return String(decoding: redact(Array(text.utf8)), as: UTF8.self)
    }

    /// The bytes with every secret form masked.
    package func redact(_ bytes: [UInt8]) -> [UInt8] {
        var current = bytes
        for pattern in patterns where current.count >= pattern.count {
            current = replace(pattern, in: current)
        }
        return current
    }

    /// Whether any secret form occurs in the bytes (for tests and audits).
    package func containsSecret(_ bytes: [UInt8]) -> Bool {
        patterns.contains { pattern in Self.firstIndex(of: pattern, in: bytes, from: 0) != nil }
    }

    private func replace(_ pattern: [UInt8], in bytes: [UInt8]) -> [UInt8] {
        guard var match = Self.firstIndex(of: pattern, in: bytes, from: 0) else { return bytes }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var position = 0
        let mask = Array(Self.mask.utf8)
        while true {
            out.append(contentsOf: bytes[position..<match])
            out.append(contentsOf: mask)
            position = match + pattern.count
            guard let next = Self.firstIndex(of: pattern, in: bytes, from: position) else { break }
            match = next
        }
        out.append(contentsOf: bytes[position...])
        return out
    }

    static func firstIndex(of pattern: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard let first = pattern.first, bytes.count - start >= pattern.count else { return nil }
        var index = start
        let last = bytes.count - pattern.count
        while index <= last {
            if bytes[index] == first {
                var offset = 1
                while offset < pattern.count && bytes[index + offset] == pattern[offset] { offset += 1 }
                if offset == pattern.count { return index }
            }
            index += 1
        }
        return nil
    }

    /// `%2F` → `%2f`, leaving other text alone.
    static func lowercasingHex(_ text: String) -> String {
        var bytes = Array(text.utf8)
        var index = 0
        while index + 2 < bytes.count {
            if bytes[index] == UInt8(ascii: "%") {
                for offset in 1...2 where bytes[index + offset] >= 0x41 && bytes[index + offset] <= 0x46 { bytes[index + offset] |= 0x20 }
                index += 3
            } else {
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// For alignments 0, 1, 2: the base64 characters determined only by the secret's bytes (plus the
    /// whole encoding, with its padding, for alignment 0).
    static func base64Fragments(_ secret: [UInt8]) -> [[UInt8]] {
        var fragments: [[UInt8]] = [Array(Data(secret).base64EncodedString().utf8)]
        for alignment in 0..<3 {
            let encoded = Array(Data([UInt8](repeating: 0, count: alignment) + secret).base64EncodedString().utf8)
            // Character i covers bits [6i, 6i + 6); the secret covers bits [8a, 8(a + n)).
            let first = (8 * alignment + 5) / 6
            let end = (8 * (alignment + secret.count)) / 6
            if end > first, end <= encoded.count { fragments.append(Array(encoded[first..<end])) }
        }
        return fragments
    }
}
