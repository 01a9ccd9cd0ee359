import AuroraCore
import Foundation

/// A MicroRCA-style random walk over the call graph, as a baseline for aurora's ranking.
///
/// Each service gets an anomaly score: the saturating strength of its largest change outside host
/// series (the scale-respecting change aurora measures, so that a flat series' tiny move is not an
/// outlier here either). A walker starts at a service drawn in proportion to those scores and moves
/// against the direction faults travel: to a callee in proportion to the callee's anomaly, back to a
/// caller at `backward` of that weight (a walk must be able to leave a dead end), and stays where it
/// is by the amount its own anomaly exceeds its most anomalous callee's (the self-edge of CloudRanger and
/// MicroCause: a service more anomalous than everything it calls holds the walk, so an anomalous
/// service that calls nothing anomalous is where the walk ends). With probability 1 − `damping`
/// it restarts. Services are ranked by how often the walk visits them (personalised PageRank).
/// Without a graph it ranks by anomaly alone.
package enum RandomWalkBaseline {
    /// Services ranked most likely first (ties by name).
    package static func rankServices(
        _ series: [Series], window: IncidentWindow, graph: ServiceGraph, damping: Double = 0.85, backward: Double = 0.3,
        iterations: Int = 100
    ) -> [String] {
        var anomaly: [String: Double] = [:]
        for change in ChangeScanner().scan(series, window: window) where change.identity.role != .host {
            let service = change.identity.service
            anomaly[service] = max(anomaly[service] ?? 0, ServiceRanker.strength(change.magnitude))
        }
        var names = Set(series.map { SeriesIdentity($0.key).service })
        for (caller, callees) in graph.dependencies { names.insert(caller); names.formUnion(callees) }
        let services = names.sorted()
        guard !services.isEmpty else { return [] }
        let index = Dictionary(uniqueKeysWithValues: services.enumerated().map { ($0.element, $0.offset) })
        let score = services.map { anomaly[$0] ?? 0 }
        let total = score.reduce(0, +)
        let restart = total > 0 ? score.map { $0 / total } : [Double](repeating: 1 / Double(services.count), count: services.count)
        // Outgoing moves of each service: (target, probability).
        let moves: [[(Int, Double)]] = services.enumerated().map { position, service in
            var weights: [(Int, Double)] = []
            for callee in graph.callees(of: service) { if let target = index[callee] { weights.append((target, score[target])) } }
            for caller in graph.callers(of: service) {
                if let target = index[caller] { weights.append((target, backward * score[target])) }
            }
            let calleeMax = graph.callees(of: service).compactMap { index[$0].map { score[$0] } }.max() ?? 0
            weights.append((position, max(score[position] - calleeMax, 0)))
            let sum = weights.reduce(0) { $0 + $1.1 }
            return sum > 0 ? weights.map { ($0.0, $0.1 / sum) } : [(position, 1)]
        }
        var visits = restart
        for _ in 0..<max(iterations, 1) {
            var next = restart.map { (1 - damping) * $0 }
            for (source, list) in moves.enumerated() {
                for (target, probability) in list { next[target] += damping * visits[source] * probability }
            }
            visits = next
        }
        return services.indices.sorted { (visits[$0], score[$0], services[$1]) > (visits[$1], score[$1], services[$0]) }
            .map { services[$0] }
    }
}
