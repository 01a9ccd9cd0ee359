/// One label of a series: `service="checkout"`.
package struct Label: Hashable, Comparable, Sendable {
    package var name: String
    package var value: String

    package init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    package static func < (lhs: Label, rhs: Label) -> Bool {
        (lhs.name, lhs.value) < (rhs.name, rhs.value)
    }

    /// Whether each label's name sorts after the one before: a set sorted by name, no name twice.
    static func namesStrictlyAscend(_ labels: [Label]) -> Bool {
        zip(labels, labels.dropFirst()).allSatisfy { $0.name < $1.name }
    }
}

/// The identity of a series: a metric name and a label set kept sorted by label name, so two keys
/// with the same labels in any order are equal and print the same.
package struct SeriesKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    package let name: String
    package let labels: [Label]

    package init(name: String, labels: [Label] = []) {
        self.name = name
        // Most label sets arrive sorted with unique names (read back from the store, or from Prometheus):
        // kept as they are, without the dictionary and sort below (a live pass builds ten thousand keys).
        if Label.namesStrictlyAscend(labels) {
            self.labels = labels
            return
        }
        // Later duplicates win, as when a label column overrides a label parsed from a header.
        var byName: [String: String] = [:]
        for label in labels { byName[label.name] = label.value }
        self.labels = byName.map { Label($0.key, $0.value) }.sorted()
    }

    package init(name: String, labels: [String: String]) {
        self.init(name: name, labels: labels.map { Label($0.key, $0.value) })
    }

    /// The value of a label, or nil when the series does not carry it.
    package subscript(label name: String) -> String? {
        labels.first { $0.name == name }?.value
    }

    /// Prometheus notation: `http_requests_total{method="GET",service="checkout"}`.
    ///
    /// This text is the series' identity in the database, so it is injective: two different keys never
    /// print the same. Label values are escaped as Prometheus does (plus NUL as `\0`); names, which
    /// Prometheus restricts to letters, digits, `_` and `:` but other formats do not, get a backslash
    /// before the characters that delimit the notation (`\ { } = , "`, newline as `\n`, NUL as `\0`).
    /// Names and values without those characters print exactly as before.
    package var description: String {
        var text = SeriesKey.escapeName(name)
        if labels.isEmpty { return text }
        text.reserveCapacity(labels.reduce(text.utf8.count + 2) { $0 + $1.name.utf8.count + $1.value.utf8.count + 4 })
        text.append("{")
        for (index, label) in labels.enumerated() {
            if index > 0 { text.append(",") }
            text.append(SeriesKey.escapeName(label.name))
            text.append("=\"")
            text.append(SeriesKey.escape(label.value))
            text.append("\"")
        }
        text.append("}")
        return text
    }

    /// Escapes a label value as the Prometheus text format does (backslash, quote, newline), and NUL
    /// as `\0` so that the text never holds a byte C APIs would stop at.
    package static func escape(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == 0x5C || $0 == 0x22 || $0 == 0x0A || $0 == 0 }) else { return value }
        var out = ""
        out.reserveCapacity(value.utf8.count + 8)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\0": out += "\\0"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Escapes a metric or label name: a backslash before each character that delimits the notation.
    package static func escapeName(_ name: String) -> String {
        guard name.utf8.contains(where: isNameDelimiter) else { return name }
        var out = ""
        out.reserveCapacity(name.utf8.count + 8)
        for scalar in name.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\0": out += "\\0"
            case "\\", "{", "}", "=", ",", "\"": out += "\\" + String(scalar)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// `\ { } = , "`, newline and NUL (a switch: a set's hashing per byte was a visible part of a live pass).
    static func isNameDelimiter(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x5C, 0x7B, 0x7D, 0x3D, 0x2C, 0x22, 0x0A, 0x00: true
        default: false
        }
    }

    package static func < (lhs: SeriesKey, rhs: SeriesKey) -> Bool {
        if lhs.name != rhs.name { return lhs.name < rhs.name }
        return lhs.labels.lexicographicallyPrecedes(rhs.labels)
    }
}

/// A series of points: timestamps in Unix milliseconds and their values, in the same order.
///
/// Kept as two flat arrays rather than an array of structs so detectors can stream over
/// contiguous `Double`s.
package struct Series: Sendable, Equatable {
    package var key: SeriesKey
    package var timestamps: [Int64]
    package var values: [Double]

    package init(key: SeriesKey, timestamps: [Int64] = [], values: [Double] = []) {
        precondition(timestamps.count == values.count, "timestamps and values must pair up")
        self.key = key
        self.timestamps = timestamps
        self.values = values
    }

    package var count: Int { values.count }
    package var isEmpty: Bool { values.isEmpty }

    package mutating func append(timestamp: Int64, value: Double) {
        timestamps.append(timestamp)
        values.append(value)
    }
}
