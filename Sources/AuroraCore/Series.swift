/// One label of a series: `service="checkout"`.
public struct Label: Hashable, Comparable, Sendable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    public static func < (lhs: Label, rhs: Label) -> Bool {
        (lhs.name, lhs.value) < (rhs.name, rhs.value)
    }
}

/// The identity of a series: a metric name and a label set kept sorted by label name, so two keys
/// with the same labels in any order are equal and print the same.
public struct SeriesKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let name: String
    public let labels: [Label]

    public init(name: String, labels: [Label] = []) {
        self.name = name
        // Later duplicates win, as when a label column overrides a label parsed from a header.
        var byName: [String: String] = [:]
        for label in labels { byName[label.name] = label.value }
        self.labels = byName.map { Label($0.key, $0.value) }.sorted()
    }

    public init(name: String, labels: [String: String]) {
        self.init(name: name, labels: labels.map { Label($0.key, $0.value) })
    }

    /// The value of a label, or nil when the series does not carry it.
    public subscript(label name: String) -> String? {
        labels.first { $0.name == name }?.value
    }

    /// Prometheus notation: `http_requests_total{method="GET",service="checkout"}`.
    public var description: String {
        if labels.isEmpty { return name }
        let inner = labels.map { "\($0.name)=\"\(SeriesKey.escape($0.value))\"" }.joined(separator: ",")
        return "\(name){\(inner)}"
    }

    /// Escapes a label value as the Prometheus text format does (backslash, quote, newline).
    public static func escape(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }

    public static func < (lhs: SeriesKey, rhs: SeriesKey) -> Bool {
        if lhs.name != rhs.name { return lhs.name < rhs.name }
        return lhs.labels.lexicographicallyPrecedes(rhs.labels)
    }
}

/// A series of points: timestamps in Unix milliseconds and their values, in the same order.
///
/// Kept as two flat arrays rather than an array of structs so detectors can stream over
/// contiguous `Double`s.
public struct Series: Sendable, Equatable {
    public var key: SeriesKey
    public var timestamps: [Int64]
    public var values: [Double]

    public init(key: SeriesKey, timestamps: [Int64] = [], values: [Double] = []) {
        precondition(timestamps.count == values.count, "timestamps and values must pair up")
        self.key = key
        self.timestamps = timestamps
        self.values = values
    }

    public var count: Int { values.count }
    public var isEmpty: Bool { values.isEmpty }

    public mutating func append(timestamp: Int64, value: Double) {
        timestamps.append(timestamp)
        values.append(value)
    }
}
