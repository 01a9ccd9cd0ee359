import Foundation

/// The deterministic incident generator, aurora-synth/1 (see docs/rca-synthetic-benchmark.md) and
/// aurora-synth/2 (the same plus `RealDataFeatures`; docs/diagnosis-evaluation.md).
///
/// `generate(index:)` is a pure function of the master seed, the version and the index: the same case
/// comes out byte for byte on every machine. Cases 0–999 are the dev split, 10 000–10 599 the test split.
package struct IncidentGenerator: Sendable {
    /// The seed every case seed derives from.
    package var masterSeed: UInt64
    /// The generator version: part of every case seed; v1 still gives its cases byte for byte.
    package var version: SyntheticGeneratorVersion
    /// Seconds between rows.
    package static let stepSeconds: Int64 = 10
    /// Rows per case: 540 of history, 180 of incident part.
    package static let steps = 720
    static let historySteps = 540

    /// Creates the value from its parts.
    package init(masterSeed: UInt64 = 0, version: SyntheticGeneratorVersion = .v1) {
        self.masterSeed = masterSeed
        self.version = version
    }

    /// Case `index`.
    package func generate(index: Int) -> SyntheticCase {
        let seed = SyntheticStream.caseSeed(masterSeed: masterSeed, index: index, version: version)
        let steps = Self.steps
        var builder = TopologyBuilder(stream: SyntheticStream(caseSeed: seed, purpose: "topology"))
        let topology = builder.build()
        let count = topology.services.count

        var workload = SyntheticStream(caseSeed: seed, purpose: "workload")
        let startTime = 1_700_000_000 + Int64(workload.integer(0, 7 * 8640)) * Self.stepSeconds
        let entryLoad = Self.entryLoad(steps: steps, startTime: startTime, stream: &workload)

        var serviceStream = SyntheticStream(caseSeed: seed, purpose: "services")
        let profiles = (0..<count).map { _ in ServiceProfile(stream: &serviceStream) }
        var noiseStream = SyntheticStream(caseSeed: seed, purpose: "noise")
        let noise = profiles.map { ServiceNoise(steps: steps, profile: $0, stream: &noiseStream) }

        var faultStream = SyntheticStream(caseSeed: seed, purpose: "fault")
        let onset = Self.historySteps + faultStream.integer(0, 12)
        let noFault = faultStream.chance(0.1)
        let kind = FaultKind.allCases[faultStream.pick(FaultKind.allCases.count)]
        let root = Self.placeRoot(kind: kind, topology: topology, stream: &faultStream)
        var primary = FaultPlan(kind: kind, root: root, onset: onset, stream: &faultStream)
        let realism = version == .v1 ? nil
            : RealDataFeatures(caseSeed: seed, topology: topology, steps: steps, onset: onset, primary: noFault ? nil : primary)
        primary.severity = realism?.faintSeverity

        var confounderStream = SyntheticStream(caseSeed: seed, purpose: "confounders")
        let rolls = ConfounderRolls(stream: &confounderStream)
        var faults = noFault ? [] : [primary]
        var confounders: [String] = []
        var secondStream = SyntheticStream(caseSeed: seed, purpose: "second-fault")
        if !noFault, rolls.doubleFault,
           let second = Self.secondFault(primary: primary, topology: topology, stream: &secondStream) {
            faults.append(second)
            confounders.append("double:\(topology.services[second.root].name)")
        }

        let simulator = ServiceSimulator(topology: topology, profiles: profiles, noise: noise,
                                         entryLoad: entryLoad, steps: steps, textures: realism?.textures ?? [])
        let (counterfactual, meanLoad) = simulator.run(faults: [], alpha: 1, meanLoad: nil)
        var alpha = 1.0
        var silent = false
        var factual = counterfactual
        var sli = simulator.propagate(counterfactual: counterfactual, factual: counterfactual)
        let quiet = sli
        // Earlier faults ran and ended in the history; like faint faults, their size is fixed.
        let background = realism?.earlierFaults ?? []
        if faults.contains(where: { $0.severity == nil }) {
            while true {
                factual = simulator.run(faults: faults + background, alpha: alpha, meanLoad: meanLoad).0
                sli = simulator.propagate(counterfactual: counterfactual, factual: factual)
                let entry = topology.entry
                if Self.moved(sli.latency[entry], onset: onset) || Self.moved(sli.error[entry], onset: onset) { break }
                if alpha >= 8 { silent = true; break }
                alpha *= 2
            }
        } else if !(faults + background).isEmpty {
            factual = simulator.run(faults: faults + background, alpha: alpha, meanLoad: meanLoad).0
            sli = simulator.propagate(counterfactual: counterfactual, factual: factual)
        }
        if realism?.callerOnly == true {
            // A delay on the network or a fault in the code: the service's own latency and errors look
            // as they did, only its callers see it.
            sli.latency[root] = quiet.latency[root]
            sli.error[root] = quiet.error[root]
        }

        var columns: [SyntheticColumn] = []
        for s in 0..<count {
            let name = topology.services[s].name
            columns.append(SyntheticColumn(service: name, metric: .latency, values: sli.latency[s]))
            columns.append(SyntheticColumn(service: name, metric: .error, values: sli.error[s]))
            columns.append(SyntheticColumn(service: name, metric: .cpu, values: factual.cpu[s]))
            columns.append(SyntheticColumn(service: name, metric: .mem, values: factual.memory[s]))
            columns.append(SyntheticColumn(service: name, metric: .saturation, values: factual.saturation[s]))
            columns.append(SyntheticColumn(service: name, metric: .load, values: factual.load[s]))
        }
        if let layout = realism?.layout {
            let host = layout.series(cpu: factual.cpu, memory: factual.memory, memoryBase: profiles.map(\.memoryBase))
            for s in 0..<count {
                let name = topology.services[s].name
                columns.append(SyntheticColumn(service: name, metric: .nodeCPU, values: host.cpu[layout.nodeOf[s]]))
                columns.append(SyntheticColumn(service: name, metric: .nodeMemory, values: host.memory[layout.nodeOf[s]]))
            }
        }

        var shiftStream = SyntheticStream(caseSeed: seed, purpose: "level-shift")
        Self.applyLevelShift(&columns, stream: &shiftStream)
        var applier = ConfounderApplier(topology: topology, onset: onset, root: noFault ? nil : root,
                                        stream: confounderStream)
        let indicatorMetric = kind.indicatorMetric
        let indicatorService = topology.services[kind == .trafficSurge ? topology.entry : root].name
        confounders += applier.apply(rolls, to: &columns,
                                     indicator: noFault ? nil : "\(indicatorService)_\(indicatorMetric.rawValue)")
        confounders += realism?.descriptions ?? []

        var columnStream = SyntheticStream(caseSeed: seed, purpose: "columns")
        columnStream.shuffle(&columns)

        let rootNames = faults.map { topology.services[$0.kind == .trafficSurge ? topology.entry : $0.root].name }
        let indicatorName = "\(indicatorService)_\(indicatorMetric.rawValue)"
        let label = SyntheticLabel(
            roots: rootNames,
            indicator: noFault || realism?.callerOnly == true || !columns.contains { $0.name == indicatorName } ? nil : indicatorName,
            kind: noFault ? nil : kind, pattern: noFault ? nil : kind.patternName, alpha: primary.severity ?? alpha,
            onset: startTime + Int64(onset) * Self.stepSeconds, rampSteps: noFault ? 0 : primary.rampSteps,
            confounders: confounders, seed: seed, silent: silent)
        return SyntheticCase(index: index, topology: topology, startTime: startTime,
                             stepSeconds: Self.stepSeconds, columns: columns, label: label, generator: version)
    }

    /// Entry requests per second: daily and hourly seasons times AR(1) log-noise.
    static func entryLoad(steps: Int, startTime: Int64, stream: inout SyntheticStream) -> [Double] {
        let rate = stream.logUniform(20, 500)
        let daily = stream.uniform(0.1, 0.4), hourly = stream.uniform(0.02, 0.1)
        let phaseDaily = stream.uniform(0, 2 * .pi), phaseHourly = stream.uniform(0, 2 * .pi)
        var eta = 0.0
        return (0..<steps).map { t in
            eta = 0.95 * eta + 0.03 * stream.normal()
            let seconds = Double(startTime) + Double(t) * Double(stepSeconds)
            let season = 1 + daily * sin(2 * .pi * seconds / 86_400 + phaseDaily)
                + hourly * sin(2 * .pi * seconds / 3_600 + phaseHourly)
            return rate * season * exp(eta)
        }
    }

    /// Roots: ≥ 30 % mid-tier services with callees, ≥ 30 % leaves, the rest anywhere.
    static func placeRoot(kind: FaultKind, topology: SyntheticTopology, stream: inout SyntheticStream) -> Int {
        let count = topology.services.count
        let callers = Set(topology.edges.map(\.caller))
        let roll = stream.uniform(0, 1)
        if kind == .trafficSurge { return topology.entry }
        if kind == .dependencyOutage {
            let stores = (0..<count).filter { topology.services[$0].kind == .db || topology.services[$0].kind == .cache }
            let leaves = (0..<count).filter { !callers.contains($0) }
            let pool = stores.isEmpty ? leaves : stores
            return pool.isEmpty ? count - 1 : pool[stream.pick(pool.count)]
        }
        let middle = (0..<count).filter { $0 != topology.entry && callers.contains($0) }
        let leaves = (0..<count).filter { !callers.contains($0) }
        let pool: [Int]
        if roll < 0.35, !middle.isEmpty { pool = middle } else if roll < 0.7, !leaves.isEmpty { pool = leaves } else {
            pool = Array(0..<count)
        }
        return pool[stream.pick(pool.count)]
    }

    /// A second, unrelated fault: a service neither on the first root's call paths nor the root.
    static func secondFault(primary: FaultPlan, topology: SyntheticTopology, stream: inout SyntheticStream) -> FaultPlan? {
        guard primary.kind != .trafficSurge else { return nil }
        let related = topology.ancestors(of: primary.root).union(topology.descendants(of: primary.root))
        let candidates = (0..<topology.services.count).filter {
            $0 != primary.root && $0 != topology.entry && !related.contains($0)
        }
        guard !candidates.isEmpty else { return nil }
        let kinds: [FaultKind] = [.cpuHog, .memoryLeak, .latency, .error]
        let kind = kinds[stream.pick(kinds.count)]
        return FaultPlan(kind: kind, root: candidates[stream.pick(candidates.count)], onset: primary.onset,
                         stream: &stream)
    }

    /// Whether the mean of the first seven incident steps differs from history by more than 3 σ.
    static func moved(_ series: [Double], onset: Int) -> Bool {
        let history = series[0..<onset]
        let mean = history.reduce(0, +) / Double(history.count)
        let variance = history.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(history.count - 1, 1))
        let end = min(onset + 7, series.count)
        let window = series[onset..<end]
        let windowMean = window.reduce(0, +) / Double(max(window.count, 1))
        return abs(windowMean - mean) > 3 * variance.squareRoot()
    }

    /// A benign deploy-like step in the history of one series (p = 0.1).
    static func applyLevelShift(_ columns: inout [SyntheticColumn], stream: inout SyntheticStream) {
        guard stream.chance(0.1), !columns.isEmpty else { return }
        let column = stream.pick(columns.count)
        let at = stream.integer(100, 400)
        let values = columns[column].values
        let scale = standardDeviation(values[0..<at])
        let shift = stream.uniform(2, 4) * scale * (stream.chance(0.5) ? 1 : -1)
        for t in at..<values.count { columns[column].values[t] = max(values[t] + shift, 0) }
    }

    static func standardDeviation(_ values: ArraySlice<Double>) -> Double {
        let finite = values.filter { $0.isFinite }
        guard finite.count > 1 else { return 0 }
        let mean = finite.reduce(0, +) / Double(finite.count)
        return (finite.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(finite.count - 1)).squareRoot()
    }
}
