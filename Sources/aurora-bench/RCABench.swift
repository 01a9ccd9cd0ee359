import AuroraCore
import AuroraDiagnosis
import AuroraSimulation
import Foundation

/// Root-cause analysis on the synthetic fault-injection benchmark (aurora-synth/1), next to the
/// NSigma and BARO baselines, plus the diagnosis speed on 1,000 series of 10k points.
enum RCABench {
    /// One method's answer on one case.
    struct Answer {
        var ranking: [String]
        var confidence: Double
        var pattern: String?
    }

    /// Per-method tallies.
    struct Tally {
        var hits = [Int](repeating: 0, count: 5)
        var cases = 0
        var causeHits = 0
        var confident = 0
        var seconds = 0.0

        mutating func add(_ answer: Answer, roots: [String], pattern: String?, floor: Double) {
            cases += 1
            if let position = answer.ranking.prefix(5).firstIndex(where: { roots.contains($0) }) {
                for k in position..<5 { hits[k] += 1 }
            }
            if answer.pattern != nil, answer.pattern == pattern { causeHits += 1 }
            if answer.confidence >= floor { confident += 1 }
        }

        func ac(_ k: Int) -> Double { cases == 0 ? .nan : Double(hits[k - 1]) / Double(cases) }
        var avg5: Double { (1...5).map(ac).reduce(0, +) / 5 }
    }

    static func run(_ options: BenchOptions) async throws {
        let environment = ProcessInfo.processInfo.environment
        let split = environment["AURORA_RCA_SPLIT"] ?? "test"
        let first = split == "dev" ? 0 : 10_000
        let count = options.quick ? 120 : Int(environment["AURORA_RCA_CASES"] ?? "") ?? 600
        let generator = IncidentGenerator(masterSeed: 0)
        let patterns = try PatternLibrary.builtIn()
        let floor = 0.5

        var generationSeconds = 0.0
        var methods = ["aurora", "nsigma", "baro"]
        var overall: [String: Tally] = [:]
        var byKind: [String: [String: Tally]] = [:]
        var noFault: [String: (cases: Int, quiet: Int)] = [:]
        var silent = 0, doubleFault = 0
        var reliability = [(count: Int, right: Int)](repeating: (0, 0), count: 10)
        var confusion: [String: [String: Int]] = [:]
        for index in first..<(first + count) {
            var generated: SyntheticCase?
            generationSeconds += measureSeconds { generated = generator.generate(index: index) }
            guard let item = generated else { continue }
            let series = item.series(wide: true)
            let graph = ServiceGraph(edges: item.callEdges)
            let window = try IncidentWindow(
                start: item.label.onset * 1000, end: item.time(ofRow: item.rowCount - 1) * 1000,
                history: Int64(IncidentGenerator.steps) * IncidentGenerator.stepSeconds * 1000)
            let analyzer = RootCauseAnalyzer(patterns: patterns, graph: graph)
            var answers: [String: Answer] = [:]
            var seconds: [String: Double] = [:]
            seconds["aurora"] = try measureSeconds {
                let diagnosis = try analyzer.analyze(series, window: window)
                answers["aurora"] = Answer(ranking: diagnosis.services.map(\.service),
                                           confidence: diagnosis.top?.confidence ?? 0, pattern: diagnosis.top?.pattern)
            }
            for baseline in BaselineRanker.allCases {
                seconds[baseline.rawValue] = measureSeconds {
                    answers[baseline.rawValue] = Answer(ranking: baseline.rankServices(series, window: window),
                                                        confidence: 1, pattern: nil)
                }
            }
            let label = item.label
            if !label.hasFault {
                for method in methods {
                    var entry = noFault[method] ?? (0, 0)
                    entry.cases += 1
                    if (answers[method]?.confidence ?? 0) < floor { entry.quiet += 1 }
                    noFault[method] = entry
                }
                continue
            }
            if label.silent { silent += 1; continue }
            if label.roots.count > 1 { doubleFault += 1 }
            let kind = label.kind?.rawValue ?? "?"
            for method in methods {
                guard let answer = answers[method] else { continue }
                overall[method, default: Tally()].add(answer, roots: label.roots, pattern: label.pattern, floor: floor)
                overall[method]?.seconds += seconds[method] ?? 0
                byKind[kind, default: [:]][method, default: Tally()].add(answer, roots: label.roots, pattern: label.pattern, floor: floor)
            }
            if let answer = answers["aurora"] {
                let bin = min(9, Int(answer.confidence * 10))
                reliability[bin].count += 1
                let right = answer.ranking.first.map { label.roots.contains($0) } ?? false
                    && answer.pattern == label.pattern
                if right { reliability[bin].right += 1 }
                confusion[label.pattern ?? "?", default: [:]][answer.pattern ?? "none", default: 0] += 1
            }
        }
        methods = methods.filter { overall[$0] != nil }
        print("  split \(split), \(count) cases from \(first); generation \(String(format: "%.1f", generationSeconds / Double(count) * 1000)) ms/case")
        print("  fault cases scored \(overall["aurora"]?.cases ?? 0), silent \(silent), double-fault \(doubleFault), no-fault \(noFault["aurora"]?.cases ?? 0)")
        print("  method      AC@1   AC@3   AC@5   Avg@5  cause  ms/case")
        for method in methods {
            guard let tally = overall[method] else { continue }
            print("  " + method.padding(toLength: 10, withPad: " ", startingAt: 0) + String(
                format: " %.3f  %.3f  %.3f  %.3f  %.3f  %.2f", tally.ac(1), tally.ac(3), tally.ac(5), tally.avg5,
                method == "aurora" ? Double(tally.causeHits) / Double(max(tally.cases, 1)) : .nan,
                tally.seconds / Double(max(tally.cases, 1)) * 1000))
        }
        print("  per fault kind (AC@1 / AC@3 / Avg@5):")
        for kind in byKind.keys.sorted() {
            var line = "    " + kind.padding(toLength: 18, withPad: " ", startingAt: 0)
            for method in methods {
                guard let tally = byKind[kind]?[method] else { continue }
                line += String(format: " %@ %.2f/%.2f/%.2f", method, tally.ac(1), tally.ac(3), tally.avg5)
            }
            line += " (n=\(byKind[kind]?["aurora"]?.cases ?? 0))"
            print(line)
        }
        if let aurora = overall["aurora"] {
            report("rca AC@1 (aurora)", String(format: "%.3f", aurora.ac(1)), target: "≥ 0.8")
            report("rca AC@3 (aurora)", String(format: "%.3f", aurora.ac(3)), target: "≥ 0.95")
            report("rca cause accuracy (aurora)", String(format: "%.3f", Double(aurora.causeHits) / Double(max(aurora.cases, 1))))
            report("rca answered at confidence ≥ 0.5", String(format: "%.3f", Double(aurora.confident) / Double(max(aurora.cases, 1))))
        }
        if let quiet = noFault["aurora"], quiet.cases > 0 {
            report("rca specificity on no-fault cases", String(format: "%.3f (%d/%d)", Double(quiet.quiet) / Double(quiet.cases), quiet.quiet, quiet.cases), target: "≥ 0.9")
        }
        print("  calibration (confidence bin: cases, share right root+cause):")
        for (bin, entry) in reliability.enumerated() where entry.count > 0 {
            print(String(format: "    %.1f–%.1f: %4d  %.2f", Double(bin) / 10, Double(bin + 1) / 10, entry.count,
                         Double(entry.right) / Double(entry.count)))
        }
        print("  cause confusion (truth → aurora's pattern):")
        for truth in confusion.keys.sorted() {
            let row = (confusion[truth] ?? [:]).sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }
            print("    \(truth): \(row.joined(separator: ", "))")
        }
        try speed(options, patterns: patterns)
    }

    /// Diagnosis time on 1,000 series × 10k points (quick: 200 × 10k).
    static func speed(_ options: BenchOptions, patterns: [DiagnosisPattern]) throws {
        let seriesCount = options.quick ? 200 : 1_000
        let points = 10_000
        var random = Xoshiro256(seed: 42)
        var series: [Series] = []
        series.reserveCapacity(seriesCount)
        let services = ["api", "auth", "billing", "cart", "db", "cache", "search", "queue", "mail", "web"]
        let metrics = ["latency", "error", "cpu", "mem", "saturation", "load"]
        for index in 0..<seriesCount {
            let service = services[index % services.count] + "\(index / 60)"
            let metric = metrics[index % metrics.count]
            var values = [Double](repeating: 0, count: points)
            var level = 100.0
            for t in 0..<points {
                level = 0.99 * level + 1 + random.nextNormal()
                values[t] = level + (index == 7 && t > points - 300 ? 40 : 0)
            }
            let timestamps = (0..<points).map { Int64(1_700_000_000_000) + Int64($0) * 10_000 }
            series.append(Series(key: SeriesKey(name: metric, labels: [Label("service", service)]),
                                 timestamps: timestamps, values: values))
        }
        let start = series[0].timestamps[points - 300]
        let window = try IncidentWindow(start: start, end: series[0].timestamps[points - 1], history: 86_400_000)
        let analyzer = RootCauseAnalyzer(patterns: patterns)
        var top = ""
        var runs: [Double] = []
        for _ in 0..<3 {
            runs.append(try measureSeconds { top = try analyzer.analyze(series, window: window).top?.service ?? "" })
        }
        report("rca diagnose \(seriesCount) series × \(points) points", String(format: "%.3f s (top %@)", median(runs), top),
               target: "< 1 s")
    }
}
