import Foundation

/// Which node (host) each service runs on, and the nodes' own load (aurora-synth/2).
///
/// Real exports carry host metrics on every service's rows (Nezha's `NodeCpuUsageRate(%)`): the same
/// values for every service on a node, moving when any of them (or a pod outside the case) gets busy.
/// A CPU hog therefore raises the node CPU of its innocent neighbours too.
struct NodeLayout {
    /// The node of each service.
    var nodeOf: [Int]
    /// Cores per node (a service's CPU of 100 % is one core).
    var cores: [Double]
    /// Memory per node, MB, as a multiple of what its services need (set by `series`).
    var memoryHeadroom: [Double]
    /// CPU of pods outside the case per node and step, in cores × 100.
    var otherCPU: [[Double]]
    /// Memory of pods outside the case, as a share of the node's memory, per node and step.
    var otherMemory: [[Double]]
    /// The node with a noisy neighbour in the incident part (p = 0.2), or nil.
    var event: Int?

    init(services: Int, steps: Int, onset: Int, stream: inout SyntheticStream) {
        let nodes = max(1, (services + 2) / stream.integer(3, 6))
        nodeOf = (0..<services).map { _ in stream.pick(nodes) }
        cores = (0..<nodes).map { _ in Double(stream.integer(4, 16)) }
        memoryHeadroom = (0..<nodes).map { _ in stream.uniform(2, 5) }
        otherCPU = []
        otherMemory = []
        for node in 0..<nodes {
            let level = stream.uniform(0.05, 0.3) * cores[node] * 100
            var eta = 0.0
            otherCPU.append((0..<steps).map { _ in
                eta = 0.9 * eta + 0.05 * stream.normal()
                return level * exp(eta)
            })
            let share = stream.uniform(0.1, 0.3)
            otherMemory.append((0..<steps).map { _ in share * (1 + 0.002 * stream.normal()) })
        }
        if stream.chance(0.2) {
            let node = stream.pick(nodes)
            let start = stream.integer(onset, steps - 31)
            let length = stream.integer(6, 30)
            let extra = stream.uniform(0.1, 0.3) * cores[node] * 100
            for t in start..<(start + length) { otherCPU[node][t] += extra }
            event = node
        } else {
            event = nil
        }
    }

    /// Node CPU and memory use in % per node and step, from the services' CPU (%, of one core) and memory (MB).
    func series(cpu: [[Double]], memory: [[Double]], memoryBase: [Double]) -> (cpu: [[Double]], memory: [[Double]]) {
        let nodes = cores.count
        let steps = cpu.first?.count ?? 0
        var nodeCPU = [[Double]](repeating: [Double](repeating: 0, count: steps), count: nodes)
        var nodeMemory = nodeCPU
        var capacity = [Double](repeating: 0, count: nodes)
        for (service, node) in nodeOf.enumerated() { capacity[node] += memoryBase[service] }
        for node in 0..<nodes { capacity[node] = max(capacity[node], 500) * memoryHeadroom[node] }
        for node in 0..<nodes {
            for t in 0..<steps {
                var used = otherCPU[node][t]
                var resident = otherMemory[node][t] * capacity[node]
                for (service, home) in nodeOf.enumerated() where home == node {
                    used += cpu[service][t]
                    resident += memory[service][t]
                }
                nodeCPU[node][t] = min(max(used / cores[node], 0), 100)
                nodeMemory[node][t] = min(max(resident / capacity[node] * 100, 0), 100)
            }
        }
        return (nodeCPU, nodeMemory)
    }
}
