import Foundation

/// A value bound to, or read from, an SQL statement.
package enum SQLValue: Sendable, Equatable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    package var int64: Int64? {
        switch self {
        case .integer(let value): return value
        case .real(let value): return Int64(exactly: value.rounded()) 
        default: return nil
        }
    }

    package var double: Double? {
        switch self {
        case .integer(let value): return Double(value)
        case .real(let value): return value
        default: return nil
        }
    }

    package var string: String? {
        if case .text(let value) = self { return value }
        return nil
    }

    package var isNull: Bool { self == .null }
}

extension SQLValue: ExpressibleByIntegerLiteral, ExpressibleByStringLiteral, ExpressibleByFloatLiteral, ExpressibleByNilLiteral {
    package init(integerLiteral value: Int64) { self = .integer(value) }
    package init(stringLiteral value: String) { self = .text(value) }
    package init(floatLiteral value: Double) { self = .real(value) }
    package init(nilLiteral: ()) { self = .null }
}

extension SQLValue {
    /// `.text` or `.null`.
    package static func optional(_ text: String?) -> SQLValue { text.map { .text($0) } ?? .null }
    /// `.integer` or `.null`.
    package static func optional(_ number: Int64?) -> SQLValue { number.map { .integer($0) } ?? .null }
    /// `.real` or `.null`.
    package static func optional(_ number: Double?) -> SQLValue { number.map { .real($0) } ?? .null }
}

/// One result row, by column position and by name.
package struct SQLRow: Sendable {
    package let columns: [String]
    package let values: [SQLValue]

    package subscript(_ index: Int) -> SQLValue { values[index] }

    package subscript(_ name: String) -> SQLValue {
        guard let index = columns.firstIndex(of: name) else { return .null }
        return values[index]
    }
}
