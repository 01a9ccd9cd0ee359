/// Which confounders a case gets, all rolled first so the details never shift the decisions.
struct ConfounderRolls {
    var spike: Bool
    var drift: Bool
    var missingCells: Bool
    var missingSeries: Bool
    var missingIndicator: Bool
    var doubleFault: Bool

    init(stream: inout SyntheticStream) {
        spike = stream.chance(0.2)
        drift = stream.chance(0.1)
        missingCells = stream.chance(0.1)
        missingSeries = stream.chance(0.05)
        missingIndicator = stream.chance(0.05)
        doubleFault = stream.chance(0.05)
    }
}

/// Applies spikes, drifts and missing data to the generated columns.
struct ConfounderApplier {
    let topology: SyntheticTopology
    let onset: Int
    let root: Int?
    var stream: SyntheticStream

    /// Applies the rolled confounders and returns their descriptions for the label.
    mutating func apply(_ rolls: ConfounderRolls, to columns: inout [SyntheticColumn], indicator: String?) -> [String] {
        var applied: [String] = []
        let names = topology.services.map(\.name)
        let onPath: Set<Int> = root.map { topology.ancestors(of: $0).union([$0]) } ?? []
        if rolls.spike {
            let candidates = (0..<names.count).filter { !onPath.contains($0) }
            if !candidates.isEmpty {
                let service = names[candidates[stream.pick(candidates.count)]]
                let metric = SyntheticMetric.perService[stream.pick(SyntheticMetric.perService.count)]
                if let column = columns.firstIndex(where: { $0.service == service && $0.metric == metric }) {
                    let sigma = IncidentGenerator.standardDeviation(columns[column].values[0..<onset])
                    let size = stream.uniform(3, 6) * max(sigma, 1e-9)
                    let length = stream.integer(1, 3)
                    let start = stream.integer(onset, columns[column].values.count - 4)
                    for t in start..<(start + length) { columns[column].values[t] += size }
                    applied.append("spike:\(service)")
                }
            }
        }
        if rolls.drift {
            let candidates = (0..<names.count).filter { $0 != root }
            if !candidates.isEmpty {
                let service = names[candidates[stream.pick(candidates.count)]]
                let metric = SyntheticMetric.perService[stream.pick(SyntheticMetric.perService.count)]
                if let column = columns.firstIndex(where: { $0.service == service && $0.metric == metric }) {
                    let sigma = IncidentGenerator.standardDeviation(columns[column].values[0..<onset])
                    let start = onset - stream.integer(30, 120)
                    let total = columns[column].values.count
                    let slope = stream.uniform(2, 5) * sigma / Double(total - start)
                    for t in start..<total { columns[column].values[t] += slope * Double(t - start) }
                    applied.append("drift:\(service)")
                }
            }
        }
        if rolls.missingCells {
            let share = stream.uniform(0.01, 0.03)
            let cells = Int(share * Double(columns.count * (columns.first?.values.count ?? 0)))
            for _ in 0..<cells {
                let column = stream.pick(columns.count)
                columns[column].values[stream.pick(columns[column].values.count)] = .nan
            }
            applied.append("missing-cells")
        }
        if rolls.missingSeries {
            let rootName = root.map { names[$0] }
            let candidates = columns.indices.filter { columns[$0].service != rootName }
            if !candidates.isEmpty {
                let removed = columns.remove(at: candidates[stream.pick(candidates.count)])
                applied.append("missing-series:\(removed.name)")
            }
        }
        if rolls.missingIndicator, let indicator, let column = columns.firstIndex(where: { $0.name == indicator }) {
            columns.remove(at: column)
            applied.append("missing-indicator:\(indicator)")
        }
        return applied
    }
}
