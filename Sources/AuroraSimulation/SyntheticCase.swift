/// One column of a case's `data.csv`: `<service>_<metric>`, one value per step (NaN = missing cell).
public struct SyntheticColumn: Sendable, Equatable {
    /// The service, as its `service` label (or name prefix) says.
    public var service: String
    /// The metric name without the service part.
    public var metric: SyntheticMetric
    /// One value per row; NaN marks a missing cell.
    public var values: [Double]

    /// The header text, `<service>_<metric>`.
    public var name: String { "\(service)_\(metric.rawValue)" }
}

/// The ground truth of a case (`label.json`): never shown to the analyser.
public struct SyntheticLabel: Sendable, Equatable {
    /// The faulty services (two on the rare double-fault cases, none on no-fault cases).
    public var roots: [String]
    /// The column that shows the fault, when it was not removed by a confounder.
    public var indicator: String?
    /// The fault kind, nil on no-fault cases.
    public var kind: FaultKind?
    /// The pattern the analyser should name, nil on no-fault cases.
    public var pattern: String?
    /// Fault severity after the CIRCA-style doubling (1, 2, 4 or 8).
    public var alpha: Double
    /// Fault onset (or the placed incident window on no-fault cases), Unix seconds.
    public var onset: Int64
    /// Steps the fault took to reach full size.
    public var rampSteps: Int
    /// Confounders applied (`spike:svc`, `drift:svc`, `missing-cells` …) and, from aurora-synth/2, the
    /// features that make a case look like real data (`idle:svc`, `flat-memory:svc`, `faint`,
    /// `caller-only`, `earlier:kind:svc`, `node-event:node`).
    public var confounders: [String]
    /// The case seed.
    public var seed: UInt64
    /// True when even the largest severity left the entry service's SLIs unchanged.
    public var silent: Bool

    /// Whether a fault was injected.
    public var hasFault: Bool { kind != nil }
}

/// A generated incident: topology, time grid, metric columns (in their shuffled order) and truth.
public struct SyntheticCase: Sendable, Equatable {
    /// The case index (its seed offset).
    public var index: Int
    /// The service graph.
    public var topology: SyntheticTopology
    /// Unix seconds of the first row.
    public var startTime: Int64
    /// Seconds between rows.
    public var stepSeconds: Int64
    /// The metric columns, in their shuffled order.
    public var columns: [SyntheticColumn]
    /// The ground truth.
    public var label: SyntheticLabel
    /// The generator version that made the case.
    public var generator: SyntheticGeneratorVersion = .v1

    /// Number of rows.
    public var rowCount: Int { columns.first?.values.count ?? 0 }

    /// Unix seconds of row `row`.
    public func time(ofRow row: Int) -> Int64 { startTime + Int64(row) * stepSeconds }

    /// The call graph as (caller, callee) names, sorted.
    public var callEdges: [(caller: String, callee: String)] {
        topology.edges.map { (topology.services[$0.caller].name, topology.services[$0.callee].name) }
            .sorted { ($0.0, $0.1) < ($1.0, $1.1) }
    }
}
