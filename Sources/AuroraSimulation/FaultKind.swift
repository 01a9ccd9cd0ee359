/// The fault kinds the generator injects, with the label and pattern names the design fixes.
package enum FaultKind: String, Sendable, CaseIterable, Equatable {
    case cpuHog = "cpu_hog"
    case memoryLeak = "memory_leak"
    case latency
    case error
    case poolExhaustion = "pool_exhaustion"
    case dependencyOutage = "dependency_outage"
    case trafficSurge = "traffic_surge"

    /// The built-in pattern the analyser should name for this fault.
    package var patternName: String {
        switch self {
        case .cpuHog: "cpu saturation"
        case .memoryLeak: "memory leak"
        case .latency: "dependency slow"
        case .error: "bad deploy"
        case .poolExhaustion: "connection-pool exhaustion"
        case .dependencyOutage: "dependency outage"
        case .trafficSurge: "traffic surge"
        }
    }

    /// The metric suffix of the series that shows the fault first.
    var indicatorMetric: SyntheticMetric {
        switch self {
        case .cpuHog: .cpu
        case .memoryLeak: .mem
        case .latency: .latency
        case .error, .dependencyOutage: .error
        case .poolExhaustion: .saturation
        case .trafficSurge: .load
        }
    }
}

/// The series a synthetic service exports, in their column-suffix spelling: six of its own and, from
/// aurora-synth/2, two of the node it runs on (the same values for every service on that node).
package enum SyntheticMetric: String, Sendable, CaseIterable, Equatable {
    case latency, error, cpu, mem, saturation, load
    /// The node's CPU use, % of the node's cores.
    case nodeCPU = "node_cpu"
    /// The node's memory use, % of the node's memory.
    case nodeMemory = "node_mem"

    /// The six series of the service itself, in the order the design draws per-metric choices.
    package static let perService: [SyntheticMetric] = [.latency, .error, .cpu, .mem, .saturation, .load]
}
