import Foundation

/// Rate limits on execution (the architecture's defaults), decided from counts the store supplies.
package struct RateLimits: Sendable, Equatable {
    /// At most this many remediations in `running` at once, across processes.
    package var maxConcurrent: Int
    /// At most this many executions started in any trailing hour.
    package var maxPerHour: Int
    /// Seconds between two executions on the same service.
    package var serviceCooldown: Double
    /// After this many consecutive failures of a service, its kill switch trips itself.
    package var failuresBeforeKillSwitch: Int

    /// The architecture's defaults: 5 concurrent, 20 per hour, 300 s cooldown, 3 failures.
    package init(maxConcurrent: Int = 5, maxPerHour: Int = 20, serviceCooldown: Double = 300, failuresBeforeKillSwitch: Int = 3) {
        self.maxConcurrent = maxConcurrent
        self.maxPerHour = maxPerHour
        self.serviceCooldown = serviceCooldown
        self.failuresBeforeKillSwitch = failuresBeforeKillSwitch
    }

    /// Whether recording a failure that brings a service to `consecutiveFailures` must trip its kill
    /// switch; the operations layer turns on the service's kill switch (reason `autoKillSwitchReason(…)`,
    /// set by `aurora`) in the same transaction that records the failure.
    package func shouldTripKillSwitch(consecutiveFailures: Int) -> Bool {
        failuresBeforeKillSwitch > 0 && consecutiveFailures >= failuresBeforeKillSwitch
    }

    /// The reason recorded on a kill switch that tripped itself.
    package func autoKillSwitchReason(service: String, consecutiveFailures: Int) -> String {
        "\(consecutiveFailures) consecutive failed remediations of \(service) (limit \(failuresBeforeKillSwitch))"
    }
}

/// What the store knows about recent executions, read in the same transaction as the decision.
package struct RateLimitSnapshot: Sendable, Equatable {
    /// Remediations currently `running` (claimed), all services.
    package var running: Int
    /// Start times of executions that began in the last hour (or later: a clock stepped back must not
    /// reopen the window), all services. Older entries are ignored, so passing more is harmless.
    package var recentStarts: [Date]
    /// When the last execution on this service started, if ever.
    package var lastStartForService: Date?
    /// Failures of this service since its last success.
    package var consecutiveFailuresForService: Int

    /// Creates a snapshot.
    package init(running: Int = 0, recentStarts: [Date] = [], lastStartForService: Date? = nil, consecutiveFailuresForService: Int = 0) {
        self.running = running
        self.recentStarts = recentStarts
        self.lastStartForService = lastStartForService
        self.consecutiveFailuresForService = consecutiveFailuresForService
    }
}
