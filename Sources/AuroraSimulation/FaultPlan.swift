/// One injected fault with every size drawn up front, so re-simulating at a larger severity
/// reuses the same draws.
struct FaultPlan {
    var kind: FaultKind
    var root: Int
    var onset: Int
    var rampSteps: Int
    var cpuShare: Double
    var leakPerStep: Double
    var gcShare: Double
    var memoryLimitFactor: Double
    var restartError: Double
    var restartLength: Int
    var latencyAdded: Double
    var errorAdded: Double
    var fastFail: Bool
    var poolSaturation: Double
    var poolLatencyFactor: Double
    var poolError: Double
    var outageTimeout: Double
    var surgeFactor: Double
    /// A fixed severity the CIRCA-style doubling leaves alone (faint faults, earlier faults); nil: the
    /// run's alpha.
    var severity: Double?
    /// The step the fault ends at (an earlier fault that was over before the incident); nil: held to the end.
    var end: Int?

    init(kind: FaultKind, root: Int, onset: Int, stream: inout SyntheticStream) {
        self.kind = kind
        self.root = root
        self.onset = onset
        rampSteps = stream.integer(0, 6)
        cpuShare = stream.uniform(0.6, 0.9)
        leakPerStep = stream.uniform(2, 10)
        gcShare = stream.uniform(0.05, 0.15)
        memoryLimitFactor = stream.uniform(1.3, 2.0)
        restartError = stream.uniform(0.3, 1.0)
        restartLength = stream.integer(1, 2)
        latencyAdded = stream.uniform(50, 500)
        errorAdded = stream.uniform(0.02, 0.3)
        fastFail = stream.chance(0.5)
        poolSaturation = stream.uniform(0.98, 1.0)
        poolLatencyFactor = stream.uniform(3, 10)
        poolError = stream.uniform(0.02, 0.2)
        outageTimeout = stream.uniform(1000, 5000)
        surgeFactor = stream.uniform(2, 4)
    }

    /// The severity the fault runs at when the run's doubling is at `alpha`.
    func size(_ alpha: Double) -> Double { severity ?? alpha }

    /// How far the fault has ramped at step `t`: 0 before onset and from its end on, 1 once fully on.
    func weight(at t: Int) -> Double {
        guard t >= onset else { return 0 }
        if let end, t >= end { return 0 }
        return min(1, Double(t - onset + 1) / Double(rampSteps + 1))
    }
}
