/// Which way a series moved.
public enum ChangeDirection: String, Sendable, Equatable, CaseIterable, Codable {
    case up, down

    /// The other way.
    public var opposite: ChangeDirection { self == .up ? .down : .up }
}
