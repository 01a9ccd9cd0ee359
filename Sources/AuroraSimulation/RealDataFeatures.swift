/// What aurora-synth/2 adds to a case, from what the real Nezha cases showed (issue 14): idle and
/// quasi-constant series, host metrics shared by the services of one node, faults that barely show,
/// faults that show only at the callers, and earlier faults in the reference window.
///
/// Every choice is drawn from streams of its own, so the design's streams (topology, noise, fault …)
/// see the same numbers as in aurora-synth/1.
struct RealDataFeatures {
    /// Idle CPU and flat memory, per service.
    var textures: [ServiceTexture]
    /// A fixed small severity for the primary fault (0.1–0.4 of the design's smallest), or nil.
    var faintSeverity: Double?
    /// Whether the faulty service's own latency and errors stay as they were: only its callers see it.
    var callerOnly: Bool
    /// Faults that started and ended in the history (reference window), at full design size.
    var earlierFaults: [FaultPlan]
    /// The node each service runs on.
    var layout: NodeLayout
    /// What the label lists about them (`idle:svc`, `flat-memory:svc`, `faint`, `caller-only`, `earlier:kind:svc`).
    var descriptions: [String]

    /// Kinds whose size scales with severity (an outage or an exhausted pool is never faint).
    static let faintKinds: Set<FaultKind> = [.cpuHog, .memoryLeak, .latency, .error, .trafficSurge]
    /// Kinds that show only at the callers when injected on the network or in the code, as Nezha's
    /// network delays, exceptions and wrong return values did.
    static let callerOnlyKinds: Set<FaultKind> = [.latency, .error]
    /// Kinds of the earlier faults (Nezha's: CPU contention, network delay, exception).
    static let earlierKinds: [FaultKind] = [.cpuHog, .latency, .error]

    init(caseSeed seed: UInt64, topology: SyntheticTopology, steps: Int, onset: Int, primary: FaultPlan?) {
        let count = topology.services.count
        let names = topology.services.map(\.name)
        var descriptions: [String] = []

        var textureStream = SyntheticStream(caseSeed: seed, purpose: "v2-texture")
        textures = (0..<count).map { s in
            ServiceTexture(steps: steps, incidentStart: onset, idleChance: s == topology.entry ? 0 : 0.2,
                           flatChance: 0.35, stream: &textureStream)
        }
        for s in 0..<count {
            if textures[s].idleCPU != nil { descriptions.append("idle:\(names[s])") }
            if textures[s].flatMemory != nil { descriptions.append("flat-memory:\(names[s])") }
        }

        var faintStream = SyntheticStream(caseSeed: seed, purpose: "v2-faint")
        let faint = faintStream.chance(0.25)
        let severity = faintStream.uniform(0.1, 0.4)
        if let primary, faint, Self.faintKinds.contains(primary.kind) {
            faintSeverity = severity
            descriptions.append("faint")
        } else {
            faintSeverity = nil
        }

        var callerStream = SyntheticStream(caseSeed: seed, purpose: "v2-caller-only")
        let callers = Set(topology.edges.filter(\.synchronous).map(\.callee))
        if callerStream.chance(0.6), let primary, Self.callerOnlyKinds.contains(primary.kind),
           primary.root != topology.entry, callers.contains(primary.root) {
            callerOnly = true
            descriptions.append("caller-only")
        } else {
            callerOnly = false
        }

        var earlierStream = SyntheticStream(caseSeed: seed, purpose: "v2-earlier")
        var earlier: [FaultPlan] = []
        let wanted = earlierStream.chance(0.35) ? (earlierStream.chance(0.3) ? 2 : 1) : 0
        for _ in 0..<wanted {
            let kind = Self.earlierKinds[earlierStream.pick(Self.earlierKinds.count)]
            let service = earlierStream.pick(count)
            let duration = earlierStream.integer(18, 60)
            let start = earlierStream.integer(60, onset - duration - 6)
            var plan = FaultPlan(kind: kind, root: service, onset: start, stream: &earlierStream)
            plan.severity = 1
            plan.end = start + duration
            earlier.append(plan)
            descriptions.append("earlier:\(kind.rawValue):\(names[service])")
        }
        earlierFaults = earlier

        var nodeStream = SyntheticStream(caseSeed: seed, purpose: "v2-nodes")
        layout = NodeLayout(services: count, steps: steps, onset: onset, stream: &nodeStream)
        if let event = layout.event { descriptions.append("node-event:node-\(event)") }
        self.descriptions = descriptions
    }
}
