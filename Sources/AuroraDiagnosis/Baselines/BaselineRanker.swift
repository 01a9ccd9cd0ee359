import AuroraCore

/// The simple published baselines, to compare aurora's ranking with on the same cases.
///
/// Both score each series by its largest deviation in the window from the history before it and rank
/// services by their highest-scoring series; neither uses the graph, onsets or patterns.
package enum BaselineRanker: String, Sendable, CaseIterable {
    /// N-Sigma: (x − mean) / standard deviation of the history.
    case nSigma = "nsigma"
    /// BARO's RobustScorer: (x − median) / IQR of the history.
    case baro
    /// Earliest onset: the service whose series first changed (sustained robust z ≥ 4), ties and
    /// unchanged services by the size of their change.
    case earliestOnset = "earliest-onset"

    /// Services ranked most likely first (ties by name).
    package func rankServices(_ series: [Series], window: IncidentWindow) -> [String] {
        if self == .earliestOnset { return Self.rankByOnset(series, window: window) }
        var best: [String: Double] = [:]
        for item in series {
            let service = SeriesIdentity(item.key).service
            let score = self.score(item, window: window)
            best[service] = max(best[service] ?? -1, score)
        }
        return best.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map(\.key)
    }

    static func rankByOnset(_ series: [Series], window: IncidentWindow) -> [String] {
        var first: [String: (onset: Int64, size: Double)] = [:]
        for change in ChangeScanner().scan(series, window: window) {
            let onset = change.magnitude >= 4 ? (change.onset ?? Int64.max) : Int64.max
            let service = change.identity.service
            if let current = first[service], (current.onset, -current.size) <= (onset, -change.magnitude) { continue }
            first[service] = (onset, change.magnitude)
        }
        return first.sorted { ($0.value.onset, -$0.value.size, $0.key) < ($1.value.onset, -$1.value.size, $1.key) }.map(\.key)
    }

    /// The series' score: its largest absolute standardised deviation in the window.
    package func score(_ series: Series, window: IncidentWindow) -> Double {
        let from = ChangeScanner.lowerBound(series.timestamps, window.start - window.history)
        let windowFirst = ChangeScanner.lowerBound(series.timestamps, window.start)
        let windowEnd = ChangeScanner.lowerBound(series.timestamps, window.end &+ 1)
        // Unsorted timestamps could make the bounds cross; such a series simply scores nothing.
        guard from <= windowFirst, windowFirst <= windowEnd, windowEnd <= series.values.count else { return 0 }
        var history = series.values[from..<windowFirst].filter(\.isFinite)
        guard history.count >= 2, windowEnd > windowFirst else { return 0 }
        let center: Double, scale: Double
        switch self {
        case .earliestOnset:
            return ChangeScanner().scan([series], window: window).first?.magnitude ?? 0
        case .nSigma:
            let mean = history.reduce(0, +) / Double(history.count)
            let variance = history.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(history.count)
            center = mean
            scale = variance.squareRoot()
        case .baro:
            let (median, iqr) = history.withUnsafeMutableBufferPointer { buffer in
                (Selection.quantile(buffer, 0.5), Selection.quantile(buffer, 0.75) - Selection.quantile(buffer, 0.25))
            }
            center = median
            scale = iqr
        }
        let safeScale = max(scale, 1e-9)
        var peak = 0.0
        for value in series.values[windowFirst..<windowEnd] where value.isFinite {
            peak = max(peak, abs(value - center) / safeScale)
        }
        return peak
    }
}

/// A PetShop-style graph-traversal baseline: walk from the entry services down through changed
/// callees; the changed services whose callees did not change are the candidates.
package enum GraphTraversalBaseline {
    /// Services ranked most likely first: traversal end points by change size, then the rest.
    package static func rankServices(_ series: [Series], window: IncidentWindow, graph: ServiceGraph, threshold: Double = 4) -> [String] {
        var size: [String: Double] = [:]
        for change in ChangeScanner().scan(series, window: window) {
            size[change.identity.service] = max(size[change.identity.service] ?? 0, change.magnitude)
        }
        func changed(_ service: String) -> Bool { (size[service] ?? 0) >= threshold }
        let services = Set(size.keys).union(graph.dependencies.keys).union(graph.dependents.keys)
        let entries = services.filter { graph.callers(of: $0).isEmpty }.sorted()
        var ends: Set<String> = []
        var seen: Set<String> = []
        var stack = entries.filter(changed)
        while let current = stack.popLast() {
            guard seen.insert(current).inserted else { continue }
            let next = graph.callees(of: current).filter(changed)
            if next.isEmpty { ends.insert(current) } else { stack += next }
        }
        let rest = services.subtracting(ends)
        func bySize(_ list: Set<String>) -> [String] {
            list.sorted { ((size[$0] ?? 0), $1) > ((size[$1] ?? 0), $0) }
        }
        return bySize(ends) + bySize(rest)
    }
}
