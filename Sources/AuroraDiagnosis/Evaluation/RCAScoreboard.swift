/// Ranking quality over many cases, per group: AC@k and Avg@5 as RCAEval (Pham et al., ASE 2024)
/// defines them at service level.
package struct RCAScoreboard: Sendable, Equatable {
    /// One row of the table.
    package struct Row: Sendable, Equatable {
        /// The group (`all` for every case).
        package var group: RCAGroup
        /// Cases in the group.
        package var cases: Int
        /// AC@1 … AC@5: share of cases whose root is among the first k services.
        package var accuracy: [Double]
        /// Expected Avg@5 of a random order of the case's services.
        package var chance: Double
        /// Cases without an answer (failed diagnoses, counted as misses).
        package var failures: Int

        /// Share of cases with the root among the first `k` (1…5).
        package func ac(_ k: Int) -> Double { accuracy[min(max(k, 1), 5) - 1] }
        /// Mean of AC@1 … AC@5.
        package var avg5: Double { accuracy.reduce(0, +) / 5 }
    }

    /// `all` first, then each group sorted by dimension and value.
    package var rows: [Row]

    /// Scores `outcomes`; `candidates` gives each case's number of services (for the chance column).
    package init(_ outcomes: [RCAOutcome], serviceCounts: [String: Int] = [:]) {
        var members: [RCAGroup: [RCAOutcome]] = [RCAGroup("all", "all"): outcomes]
        for outcome in outcomes {
            for group in outcome.groups { members[group, default: []].append(outcome) }
        }
        let order = members.keys.sorted { lhs, rhs in
            if lhs.dimension == "all" || rhs.dimension == "all" { return lhs.dimension == "all" && rhs.dimension != "all" }
            return lhs < rhs
        }
        rows = order.map { group in
            let list = members[group] ?? []
            var hits = [Int](repeating: 0, count: 5)
            var chance = 0.0
            for outcome in list {
                if let rank = outcome.hitRank, rank <= 5 { for k in (rank - 1)..<5 { hits[k] += 1 } }
                let services = max(serviceCounts[outcome.id] ?? outcome.ranking.count, 1)
                let roots = Double(min(outcome.roots.count, services))
                // P(a root among the first k of a random order) for k = 1…5, averaged.
                chance += (1...5).map { k in Self.hitChance(services: services, roots: Int(roots), k: k) }.reduce(0, +) / 5
            }
            let n = Double(max(list.count, 1))
            return Row(group: group, cases: list.count, accuracy: hits.map { Double($0) / n }, chance: chance / n,
                       failures: list.filter { $0.failure != nil }.count)
        }
    }

    /// 1 − C(n − r, k) / C(n, k): some root is among k random picks of n with r roots.
    static func hitChance(services n: Int, roots r: Int, k: Int) -> Double {
        guard r > 0 else { return 0 }
        let picks = min(k, n)
        var miss = 1.0
        for i in 0..<picks { miss *= Double(max(n - r - i, 0)) / Double(n - i) }
        return 1 - miss
    }
}
