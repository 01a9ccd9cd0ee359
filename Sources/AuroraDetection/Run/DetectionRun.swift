import AuroraCore
import Foundation

/// What a run found in one series.
package struct SeriesDetection: Sendable {
    /// The series.
    package var key: SeriesKey
    /// One score per input point, in input order (empty unless the run emits scores).
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
            members.append(EnsembleMember(name: name, detector: try registry.make(name, settings: resolved), weight: resolved.weight(of: name)))
        }
        if includeRules {
            for rule in resolved.rules where rule.applies(to: key) {
                members.append(EnsembleMember(name: rule.identity.name, detector: rule, weight: 0, decisive: true))
            }
        }
        return try EnsembleDetector(members: members, parameters: resolved.ensemble)
    }

    /// Scores one series, continuing from `state` when given.
    package func run(_ series: Series, state: [UInt8]? = nil) throws -> SeriesDetection {
        var ensemble = try ensemble(for: series.key)
        if let state { try ensemble.restoreState(state) }
        var events: [AnomalyEvent] = []
        // The voter writes every point's score, so the array needs no zero-filling first (on ten million
        // points that fill, and its page faults, cost as much as the z-score itself).
        let scores = [Double](unsafeUninitializedCapacity: series.count) { output, initialized in
            series.timestamps.withUnsafeBufferPointer { timestamps in
                series.values.withUnsafeBufferPointer { values in
                    ensemble.process(series: series.key, timestamps: timestamps, values: values, scores: output, events: &events)
                }
            }
            initialized = series.count
        }
        if let open = ensemble.openEvent(series: series.key) { events.append(open) }
        return SeriesDetection(key: series.key, scores: emitScores ? scores : [], events: events, state: try ensemble.saveState())
    }

    /// Scores many series in parallel; the result at index i belongs to `series[i]`.
    package func run(_ series: [Series], states: [SeriesKey: [UInt8]] = [:]) async throws -> [SeriesDetection] {
        var results = [SeriesDetection?](repeating: nil, count: series.count)
        try await withThrowingTaskGroup(of: (Int, SeriesDetection).self) { group in
            var next = 0
            func schedule() {
                guard next < series.count else { return }
                let index = next
                let item = series[index]
                let state = states[item.key]
                group.addTask { (index, try self.run(item, state: state)) }
                next += 1
            }
            for _ in 0..<min(concurrency, series.count) { schedule() }
            while let (index, result) = try await group.next() {
                results[index] = result
                schedule()
            }
        }
        return results.compactMap { $0 }
    }
}
