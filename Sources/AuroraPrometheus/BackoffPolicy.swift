import AuroraCore

/// How often and how patiently a failed request is tried again: exponential back-off with a cap and
/// "full jitter" (a random delay up to the back-off), so that many watchers do not retry in step.
package struct BackoffPolicy: Sendable, Equatable {
    /// Tries in all, the first one included.
    package var attempts: Int
    /// Seconds before the first retry (before jitter).
    package var initialDelay: Double
    /// The largest delay in seconds.
    package var maximumDelay: Double

    /// Creates a policy.
    package init(attempts: Int = 4, initialDelay: Double = 0.25, maximumDelay: Double = 4) {
        self.attempts = max(1, attempts)
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
    }

    /// No retries.
    package static let once = BackoffPolicy(attempts: 1)

    /// Seconds to wait after failed attempt number `attempt` (1-based), given a random fraction in 0…1.
    package func delay(after attempt: Int, jitter: Double) -> Double {
        let exponential = initialDelay * Double(1 << min(max(attempt - 1, 0), 20))
        let capped = min(exponential, maximumDelay)
        // Half fixed, half random: never zero (a tight loop against a struggling server), never in step.
        return capped / 2 + capped / 2 * min(max(jitter, 0), 1)
    }
}

/// The real wait for the back-off (`AuroraRemediation.Sleeper`), on the task's clock.
package struct BackoffSleeper: Sleeper {
    /// Creates a sleeper.
    package init() {}
    package func sleep(seconds: Double) async throws {
        guard seconds > 0 else { return }
        try await Task.sleep(nanoseconds: UInt64(min(seconds, 86_400) * 1e9))
    }
}
