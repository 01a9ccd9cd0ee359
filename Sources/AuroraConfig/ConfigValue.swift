/// A validated configuration value.
package indirect enum ConfigValue: Sendable, Equatable {
    case integer(Int)
    case number(Double)
    /// Seconds.
    case duration(Double)
    case boolean(Bool)
    case string(String)
    case list([ConfigValue])
    /// Keys in file order (or schema order for defaults).
    case object([(String, ConfigValue)])

    package static func == (lhs: ConfigValue, rhs: ConfigValue) -> Bool {
        switch (lhs, rhs) {
        case let (.integer(a), .integer(b)): return a == b
        case let (.number(a), .number(b)): return a == b
        case let (.duration(a), .duration(b)): return a == b
        case let (.boolean(a), .boolean(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.list(a), .list(b)): return a == b
        case let (.object(a), .object(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// The value under a key of an object.
    package subscript(key: String) -> ConfigValue? {
        if case .object(let pairs) = self { return pairs.first { $0.0 == key }?.1 }
        return nil
    }

    /// The value at a dotted path, `safety.max-concurrent-remediations`.
    package func value(at path: String) -> ConfigValue? {
        var current: ConfigValue? = self
        for part in path.split(separator: ".") { current = current?[String(part)] }
        return current
    }

    package var int: Int? { if case .integer(let v) = self { return v }; return nil }
    package var double: Double? {
        switch self {
        case .number(let v): return v
        case .integer(let v): return Double(v)
        case .duration(let v): return v
        default: return nil
        }
    }
    package var seconds: Double? { if case .duration(let v) = self { return v }; return nil }
    package var bool: Bool? { if case .boolean(let v) = self { return v }; return nil }
    package var string: String? { if case .string(let v) = self { return v }; return nil }
    package var list: [ConfigValue]? { if case .list(let v) = self { return v }; return nil }
    package var pairs: [(String, ConfigValue)]? { if case .object(let v) = self { return v }; return nil }
}
