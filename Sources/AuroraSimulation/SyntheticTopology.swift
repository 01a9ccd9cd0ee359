/// What a synthetic service is: decides which faults fit it (outages hit databases and caches).
package enum SyntheticServiceKind: String, Sendable, Equatable {
    case app, db, cache, queue
}

/// The shape a case's service graph was drawn from.
package enum TopologyShape: String, Sendable, Equatable {
    case layered, tree, chain, hub, onlineBoutique = "online-boutique", sockShop = "sock-shop"
}

/// One service of a synthetic case.
package struct SyntheticService: Sendable, Equatable {
    /// The name used in column headers (`<name>_latency`).
    package var name: String
    /// What the service is (decides which faults fit it).
    package var kind: SyntheticServiceKind
}

/// One call edge, caller → callee, with how a fault travels back along it.
package struct SyntheticEdge: Sendable, Equatable {
    /// Index of the calling service.
    package var caller: Int
    /// Index of the called service.
    package var callee: Int
    /// Calls per request, 1–3.
    package var callsPerRequest: Int
    /// Asynchronous edges (queues) carry load but not latency or errors.
    package var synchronous: Bool
    /// Steps a callee's excess needs to show at the caller.
    package var lag: Int
    /// Share of the callee's latency excess that reaches the caller (≥ 1 with retries).
    package var latencyAttenuation: Double
    /// Share of the callee's error excess that reaches the caller.
    package var errorAttenuation: Double
    /// Whether the caller retries failed calls, adding load on the callee.
    package var retries: Bool
}

/// A case's service graph. Service 0 … n−1; `entry` takes the external traffic.
package struct SyntheticTopology: Sendable, Equatable {
    /// The shape the graph was drawn from.
    package var shape: TopologyShape
    /// The services, by index.
    package var services: [SyntheticService]
    /// The call edges.
    package var edges: [SyntheticEdge]
    /// Index of the service that takes external traffic.
    package var entry: Int

    /// Callee edges of each service, in edge order.
    func outgoing() -> [[Int]] {
        var result = [[Int]](repeating: [], count: services.count)
        for (index, edge) in edges.enumerated() { result[edge.caller].append(index) }
        return result
    }

    /// Caller edges of each service, in edge order.
    func incoming() -> [[Int]] {
        var result = [[Int]](repeating: [], count: services.count)
        for (index, edge) in edges.enumerated() { result[edge.callee].append(index) }
        return result
    }

    /// Services ordered so every caller comes before its callees (Kahn, lowest index first).
    func callersFirst() -> [Int] {
        var indegree = [Int](repeating: 0, count: services.count)
        for edge in edges { indegree[edge.callee] += 1 }
        let outgoing = outgoing()
        var ready = (0..<services.count).filter { indegree[$0] == 0 }
        var order: [Int] = []
        while !ready.isEmpty {
            let next = ready.removeFirst()
            order.append(next)
            for edgeIndex in outgoing[next] {
                let callee = edges[edgeIndex].callee
                indegree[callee] -= 1
                if indegree[callee] == 0 { ready.append(callee) }
            }
        }
        return order
    }

    /// The services that can reach `service` by calls (its transitive callers).
    func ancestors(of service: Int) -> Set<Int> {
        let incoming = incoming()
        var seen: Set<Int> = []
        var stack = [service]
        while let current = stack.popLast() {
            for edgeIndex in incoming[current] where !seen.contains(edges[edgeIndex].caller) {
                seen.insert(edges[edgeIndex].caller)
                stack.append(edges[edgeIndex].caller)
            }
        }
        return seen
    }

    /// The services `service` reaches by calls (its transitive callees).
    func descendants(of service: Int) -> Set<Int> {
        let outgoing = outgoing()
        var seen: Set<Int> = []
        var stack = [service]
        while let current = stack.popLast() {
            for edgeIndex in outgoing[current] where !seen.contains(edges[edgeIndex].callee) {
                seen.insert(edges[edgeIndex].callee)
                stack.append(edges[edgeIndex].callee)
            }
        }
        return seen
    }
}
