/// Which way a series moved.
package enum ChangeDirection: String, Sendable, Equatable, CaseIterable, Codable {
    case up, down

    /// The other way.
    package var opposite: ChangeDirection { self == .up ? .down : .up }
}
