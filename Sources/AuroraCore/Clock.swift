import Foundation

/// The wall clock, injected so the engine never reads time by itself and tests can move it.
public protocol WallClock: Sendable {
    func now() -> Date
}

/// The real wall clock.
public struct SystemWallClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
}
