import AuroraCore
import Foundation

/// A sleeper that records the pauses it is asked for and returns at once (back-off tests).
package final class RecordingSleeper: Sleeper, @unchecked Sendable {
    // Unchecked: `recorded` is only touched under `lock`.
    private let lock = NSLock()
    private var recorded: [Double] = []

    package init() {}

    package func sleep(seconds: Double) async throws { lock.withLock { recorded.append(seconds) } }

    /// The pauses asked for, in order.
    package var sleeps: [Double] { lock.withLock { recorded } }
}

/// A monotonic clock that never moves: every duration measured with it is zero.
package struct StoppedClock: MonotonicClock {
    package init() {}

    package func seconds() -> Double { 0 }
}
