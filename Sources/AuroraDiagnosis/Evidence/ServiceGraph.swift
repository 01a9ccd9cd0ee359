/// Which service calls which (`checkout: { depends-on: [payments, postgres] }`).
///
/// Latency and errors travel up the calls (a slow database makes its callers slow); load travels
/// down (a surge at the gateway reaches everything behind it).
package struct ServiceGraph: Sendable, Equatable {
    /// Callees of each caller, sorted.
    package private(set) var dependencies: [String: [String]]
    /// Callers of each callee, sorted.
    package private(set) var dependents: [String: [String]]

    /// From `caller → [callees]`.
    package init(dependsOn: [String: [String]] = [:]) {
        var dependencies: [String: Set<String>] = [:]
        var dependents: [String: Set<String>] = [:]
        for (caller, callees) in dependsOn {
            for callee in callees where callee != caller {
                dependencies[caller, default: []].insert(callee)
                dependents[callee, default: []].insert(caller)
            }
        }
        self.dependencies = dependencies.mapValues { $0.sorted() }
        self.dependents = dependents.mapValues { $0.sorted() }
    }

    /// From (caller, callee) pairs, as `graph.json` lists them.
    package init(edges: [(caller: String, callee: String)]) {
        var map: [String: [String]] = [:]
        for edge in edges { map[edge.caller, default: []].append(edge.callee) }
        self.init(dependsOn: map)
    }

    /// True when the graph has no edges (diagnosis then relies on timing and magnitude alone).
    package var isEmpty: Bool { dependencies.isEmpty }

    /// The direct callees of `service`.
    package func callees(of service: String) -> [String] { dependencies[service] ?? [] }

    /// The direct callers of `service`.
    package func callers(of service: String) -> [String] { dependents[service] ?? [] }

    /// Every service `service` reaches by calls, nearest first (breadth first, sorted per level).
    package func downstream(of service: String) -> [String] { walk(from: service, next: callees) }

    /// Every service that reaches `service` by calls, nearest first.
    package func upstream(of service: String) -> [String] { walk(from: service, next: callers) }

    private func walk(from start: String, next: (String) -> [String]) -> [String] {
        var seen: Set<String> = [start]
        var order: [String] = []
        var frontier = [start]
        while !frontier.isEmpty {
            var following: [String] = []
            for service in frontier {
                for neighbour in next(service) where !seen.contains(neighbour) {
                    seen.insert(neighbour)
                    order.append(neighbour)
                    following.append(neighbour)
                }
            }
            frontier = following.sorted()
        }
        return order
    }
}
