import AuroraCore
import AuroraRemediation
import Foundation

/// Real sleeping, for production use of the executors.
package struct TaskSleeper: Sleeper {
    /// Creates a sleeper.
    package init() {}

    /// Sleeps with `Task.sleep` (cancellable).
    package func sleep(seconds: Double) async throws {
        guard seconds > 0, seconds.isFinite else { return }
        try await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
    }
}

/// The system's monotonic clock (unaffected by wall-clock steps).
package struct SystemMonotonicClock: MonotonicClock {
    /// Creates the clock.
    package init() {}

    /// Seconds since boot, from `CLOCK_MONOTONIC`.
    package func seconds() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds) / 1e9
    }
}
