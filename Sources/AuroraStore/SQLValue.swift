import Foundation

/// A value bound to, or read from, an SQL statement.
public enum SQLValue: Sendable, Equatable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    public var int64: Int64? {
        switch self {
        case .integer(let value): return value
        case .real(let value): return Int64(exactly: value.rounded()) 
        default: return nil
        }
    }

    public var double: Double? {
        switch self {
        case .integer(let value): return Double(value)
        case .real(let value): return value
        default: return nil
        }
    }

    public var string: String? {
        if case .text(let value) = self { return value }
        return nil
    }

    public var isNull: Bool { self == .null }
}

extension SQLValue: ExpressibleByIntegerLiteral, ExpressibleByStringLiteral, ExpressibleByFloatLiteral, ExpressibleByNilLiteral {
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(stringLiteral value: String) { self = .text(value) }
    public init(floatLiteral value: Double) { self = .real(value) }
    public init(nilLiteral: ()) { self = .null }
}

extension SQLValue {
    /// `.text` or `.null`.
    public static func optional(_ text: String?) -> SQLValue { text.map { .text($0) } ?? .null }
    /// `.integer` or `.null`.
    public static func optional(_ number: Int64?) -> SQLValue { number.map { .integer($0) } ?? .null }
    /// `.real` or `.null`.
    public static func optional(_ number: Double?) -> SQLValue { number.map { .real($0) } ?? .null }
}

/// One result row, by column position and by name.
public struct SQLRow: Sendable {
    public let columns: [String]
    public let values: [SQLValue]

    public subscript(_ index: Int) -> SQLValue { values[index] }

    public subscript(_ name: String) -> SQLValue {
        guard let index = columns.firstIndex(of: name) else { return .null }
        return values[index]
    }
}
