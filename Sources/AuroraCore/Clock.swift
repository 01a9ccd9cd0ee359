import Foundation

/// The wall clock, injected so the engine never reads time by itself and tests can move it.
package protocol WallClock: Sendable {
    func now() -> Date
}

/// The real wall clock.
package struct SystemWallClock: WallClock {
    package init() {}
    package func now() -> Date { Date() }
}

/// Pauses, injected so that retry and health-check tests do not wait for real.
package protocol Sleeper: Sendable {
    /// Sleeps `seconds` (throws on cancellation).
    func sleep(seconds: Double) async throws
}

/// A monotonic clock in seconds, injected for durations (never the wall clock: it may jump).
package protocol MonotonicClock: Sendable {
    /// Seconds since an arbitrary fixed point.
    func seconds() -> Double
}
