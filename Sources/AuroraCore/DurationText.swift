import Foundation

/// Parses and prints durations the way operators write them: `300s`, `5m`, `1h30m`, `2d`, `250ms`.
package enum DurationText {
    /// Units by suffix, in seconds. Go/Prometheus style; `d` and `w` as Prometheus allows.
    private static let units: [(suffix: String, seconds: Double)] = [
        ("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400), ("w", 604800),
    ]

    /// Seconds for a duration text, or nil when it is not one. A bare number means seconds.
    package static func seconds(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        if let plain = Double(trimmed), plain.isFinite, plain >= 0 { return plain }
        var total = 0.0
        var rest = Substring(trimmed)
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isNumber || $0 == "." }
            guard !digits.isEmpty, let amount = Double(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            let letters = rest.prefix { $0.isLetter }
            guard let unit = units.first(where: { $0.suffix == letters }) else { return nil }
            rest = rest.dropFirst(letters.count)
            total += amount * unit.seconds
        }
        return total
    }

    /// A compact text for a number of seconds: `5m`, `1h30m`, `2.5s`.
    package static func format(_ seconds: Double) -> String {
        if seconds < 1 && seconds > 0 { return "\(Int((seconds * 1000).rounded()))ms" }
        if seconds != seconds.rounded() { return "\(seconds)s" }
        var remaining = Int(seconds)
        if remaining == 0 { return "0s" }
        var parts = ""
        for (suffix, size) in [("d", 86400), ("h", 3600), ("m", 60), ("s", 1)] where remaining >= size {
            parts += "\(remaining / size)\(suffix)"
            remaining %= size
        }
        return parts
    }
}

