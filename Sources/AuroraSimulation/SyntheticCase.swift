/// One column of a case's `data.csv`: `<service>_<metric>`, one value per step (NaN = missing cell).
package struct SyntheticColumn: Sendable, Equatable {
    /// The service, as its `service` label (or name prefix) says.
    package var service: String
    /// The metric name without the service part.
    package var metric: SyntheticMetric
    /// One value per row; NaN marks a missing cell.
    package var values: [Double]

    /// The header text, `<service>_<metric>`.
    package var name: String { "\(service)_\(metric.rawValue)" }
}

/// The ground truth of a case (`label.json`): never shown to the analyser.
package struct SyntheticLabel: Sendable, Equatable {
    /// The faulty services (two on the rare double-fault cases, none on no-fault cases).
    package var roots: [String]
    /// The column that shows the fault, when it was not removed by a confounder.
    package var indicator: String?
    /// The fault kind, nil on no-fault cases.
    package var kind: FaultKind?
    /// The pattern the analyser should name, nil on no-fault cases.
    package var pattern: String?
    /// Fault severity after the CIRCA-style doubling (1, 2, 4 or 8).
    package var alpha: Double
    /// Fault onset (or the placed incident window on no-fault cases), Unix seconds.
    package var onset: Int64
    /// Steps the fault took to reach full size.
    package var rampSteps: Int
    /// Confounders applied (`spike:svc`, `drift:svc`, `missing-cells` …) and, from aurora-synth/2, the
    /// features that make a case look like real data (`idle:svc`, `flat-memory:svc`, `faint`,
    /// `caller-only`, `earlier:kind:svc`, `node-event:node`).
    package var confounders: [String]
    /// The case seed.
    package var seed: UInt64
    /// True when even the largest severity left the entry service's SLIs unchanged.
    package var silent: Bool

    /// Whether a fault was injected.
    package var hasFault: Bool { kind != nil }
}

/// A generated incident: topology, time grid, metric columns (in their shuffled order) and truth.
package struct SyntheticCase: Sendable, Equatable {
    /// The case index (its seed offset).
    package var index: Int
    /// The service graph.
    package var topology: SyntheticTopology
    /// Unix seconds of the first row.
    package var startTime: Int64
    /// Seconds between rows.
    package var stepSeconds: Int64
    /// The metric columns, in their shuffled order.
    package var columns: [SyntheticColumn]
    /// The ground truth.
    package var label: SyntheticLabel
    /// The generator version that made the case.
    package var generator: SyntheticGeneratorVersion = .v1

    /// Number of rows.
    package var rowCount: Int { columns.first?.values.count ?? 0 }

    /// Unix seconds of row `row`.
    package func time(ofRow row: Int) -> Int64 { startTime + Int64(row) * stepSeconds }

    /// The call graph as (caller, callee) names, sorted.
    package var callEdges: [(caller: String, callee: String)] {
        topology.edges.map { (topology.services[$0.caller].name, topology.services[$0.callee].name) }
            .sorted { ($0.0, $0.1) < ($1.0, $1.1) }
    }
}
