import AuroraCore
import Foundation

/// What a run found in one series.
package struct SeriesDetection: Sendable {
    /// The series.
    package var key: SeriesKey
    /// One score per input point after the replayed ones, in input order (empty unless the run emits scores).
    package var scores: [Double]
    /// Events that closed, then the one still open at the end of the input (marked `ongoing`).
    package var events: [AnomalyEvent]
    /// State to save so the next run continues this series exactly where this one stopped.
    package var state: [UInt8]
}

/// Runs detection over many series: every series through its own ensemble (the chosen detectors
/// plus the rules that select it), series in parallel across cores, results in input order.
///
/// ```swift
/// let run = DetectionRun(settings: settings)                 // default ensemble + configured rules
/// let results = try await run.run(series, states: saved)     // saved: [SeriesKey: [UInt8]]
/// for result in results { store(result.events); saved[result.key] = result.state }
/// ```
package struct DetectionRun: Sendable {
    /// Settings (defaults, overrides, rules).
    package var settings: DetectionSettings
    /// Known detectors.
    package var registry: DetectorRegistry
    /// Detectors to run by name; nil runs `settings.ensembleMembers`.
    package var detectors: [String]?
    /// Whether configured rules join the ensemble of the series they select.
    package var includeRules: Bool
    /// Whether per-point scores are returned (for `--emit scores` and evaluation).
    package var emitScores: Bool
    /// Series scored at once; defaults to the number of active cores.
    package var concurrency: Int

    /// A run; throws `DetectionError.unknownDetector` for a name the registry does not know.
    package init(
        settings: DetectionSettings = DetectionSettings(), registry: DetectorRegistry = .standard,
        detectors: [String]? = nil, includeRules: Bool = true, emitScores: Bool = false,
        concurrency: Int = ProcessInfo.processInfo.activeProcessorCount
    ) throws {
        for name in detectors ?? settings.ensembleMembers where !registry.contains(name) {
            throw DetectionError.unknownDetector(name, known: registry.names)
        }
        self.settings = settings
        self.registry = registry
        self.detectors = detectors
        self.includeRules = includeRules
        self.emitScores = emitScores
        self.concurrency = max(1, concurrency)
    }

    /// A fresh ensemble for one series, with its overrides applied.
    package func ensemble(for key: SeriesKey) throws -> EnsembleDetector {
        let resolved = settings.resolved(for: key)
        var members: [EnsembleMember] = []
        for name in detectors ?? resolved.ensembleMembers {
            let decisive = resolved.decisiveMembers.contains(name)
            members.append(EnsembleMember(name: name, detector: try registry.make(name, settings: resolved),
                                          weight: decisive ? 0 : resolved.weight(of: name), decisive: decisive))
        }
        if includeRules {
            for rule in resolved.rules where rule.applies(to: key) {
                members.append(EnsembleMember(name: rule.identity.name, detector: rule, weight: 0, decisive: true))
            }
        }
        return try EnsembleDetector(members: members, parameters: resolved.ensemble)
    }

    /// Scores one series, continuing from `state` when given. The first `replaying` points only bring
    /// the state up to where an earlier run stopped (they were scored and reported then): their events
    /// are dropped and they get no score. With `savingState` false the result's state is empty (the
    /// caller keeps an older checkpoint and replays from it next time).
    package func run(_ series: Series, state: [UInt8]? = nil, replaying: Int = 0, savingState: Bool = true) throws -> SeriesDetection {
        var ensemble = try ensemble(for: series.key)
        if let state { try ensemble.restoreState(state) }
        let replayed = min(max(0, replaying), series.count)
        let fresh = series.count - replayed
        var events: [AnomalyEvent] = []
        if replayed > 0 {
            // The scores and the events that closed are the earlier run's; an event still open at the end
            // stays open in the ensemble and is reported with the new points, as that run left it.
            var reported: [AnomalyEvent] = []
            let scratch = UnsafeMutableBufferPointer<Double>.allocate(capacity: replayed)
            defer { scratch.deallocate() }
            series.timestamps.withUnsafeBufferPointer { timestamps in
                series.values.withUnsafeBufferPointer { values in
                    ensemble.process(series: series.key, timestamps: UnsafeBufferPointer(rebasing: timestamps[..<replayed]),
                                     values: UnsafeBufferPointer(rebasing: values[..<replayed]), scores: scratch, events: &reported)
                }
            }
        }
        // The voter writes every point's score, so the array needs no zero-filling first (on ten million
        // points that fill, and its page faults, cost as much as the z-score itself).
        let scores = [Double](unsafeUninitializedCapacity: fresh) { output, initialized in
            series.timestamps.withUnsafeBufferPointer { timestamps in
                series.values.withUnsafeBufferPointer { values in
                    ensemble.process(series: series.key, timestamps: UnsafeBufferPointer(rebasing: timestamps[replayed...]),
                                     values: UnsafeBufferPointer(rebasing: values[replayed...]), scores: output, events: &events)
                }
            }
            initialized = fresh
        }
        if let open = ensemble.openEvent(series: series.key) { events.append(open) }
        return SeriesDetection(key: series.key, scores: emitScores ? scores : [], events: events,
                               state: savingState ? try ensemble.saveState() : [])
    }

    /// Scores many series in parallel; the result at index i belongs to `series[i]`.
    package func run(_ series: [Series], states: [SeriesKey: [UInt8]] = [:]) async throws -> [SeriesDetection] {
        try await run(series.map { DetectionInput(series: $0, state: states[$0.key]) })
    }

    /// Points (plus a per-series allowance) a task scores before the next one starts: a task per series
    /// cost more than scoring the few new points a live pass brings, so small series go in runs.
    static let pointsPerTask = 65_536
    static let seriesAllowance = 256

    /// Scores many series in parallel, consecutive ones grouped into tasks of some `pointsPerTask`
    /// points; the result at index i belongs to `inputs[i]`.
    package func run(_ inputs: [DetectionInput]) async throws -> [SeriesDetection] {
        let weights = inputs.map { $0.series.count + Self.seriesAllowance }
        let total = weights.reduce(0, +)
        // Small enough that every core gets work, large enough that a task outweighs its scheduling.
        let target = max(1, min(Self.pointsPerTask, total / concurrency))
        var ranges: [Range<Int>] = []
        var start = 0
        var weight = 0
        for index in inputs.indices {
            weight += weights[index]
            if weight >= target {
                ranges.append(start..<index + 1)
                start = index + 1
                weight = 0
            }
        }
        if start < inputs.count { ranges.append(start..<inputs.count) }
        var results = [[SeriesDetection]](repeating: [], count: ranges.count)
        try await withThrowingTaskGroup(of: (Int, [SeriesDetection]).self) { group in
            var next = 0
            func schedule() {
                guard next < ranges.count else { return }
                let index = next
                let batch = Array(inputs[ranges[index]])
                group.addTask {
                    (index, try batch.map { try self.run($0.series, state: $0.state, replaying: $0.replayed, savingState: $0.savesState) })
                }
                next += 1
            }
            for _ in 0..<min(concurrency, ranges.count) { schedule() }
            while let (index, batch) = try await group.next() {
                results[index] = batch
                schedule()
            }
        }
        return results.flatMap { $0 }
    }
}

/// One series to score (see `DetectionRun.run(_:state:replaying:savingState:)`).
package struct DetectionInput: Sendable {
    package var series: Series
    /// The state to continue from.
    package var state: [UInt8]?
    /// Leading points already scored by an earlier run, replayed to rebuild the state.
    package var replayed: Int
    /// Whether the state after the last point is wanted.
    package var savesState: Bool

    package init(series: Series, state: [UInt8]? = nil, replayed: Int = 0, savesState: Bool = true) {
        self.series = series
        self.state = state
        self.replayed = replayed
        self.savesState = savesState
    }
}
