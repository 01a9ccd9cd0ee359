import AuroraCore
import AuroraRemediation
import Foundation

/// Real sleeping, for production use of the executors.
public struct TaskSleeper: Sleeper {
    /// Creates a sleeper.
    public init() {}

    /// Sleeps with `Task.sleep` (cancellable).
    public func sleep(seconds: Double) async throws {
        guard seconds > 0, seconds.isFinite else { return }
        try await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
    }
}

/// The system's monotonic clock (unaffected by wall-clock steps).
public struct SystemMonotonicClock: MonotonicClock {
    /// Creates the clock.
    public init() {}

    /// Seconds since boot, from `CLOCK_MONOTONIC`.
    public func seconds() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds) / 1e9
    }
}
