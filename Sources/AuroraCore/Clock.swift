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

/// Pauses, injected so that retry and health-check tests do not wait for real.
public protocol Sleeper: Sendable {
    /// Sleeps `seconds` (throws on cancellation).
    func sleep(seconds: Double) async throws
}

/// A monotonic clock in seconds, injected for durations (never the wall clock: it may jump).
public protocol MonotonicClock: Sendable {
    /// Seconds since an arbitrary fixed point.
    func seconds() -> Double
}
