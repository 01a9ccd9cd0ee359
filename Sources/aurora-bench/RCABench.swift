import AuroraCore
import AuroraDiagnosis
import AuroraSimulation
import Foundation

/// Root-cause analysis on the synthetic fault-injection benchmark (`AURORA_SYNTH_VERSION`, default aurora-synth/2), next to the
/// NSigma, BARO, earliest-onset, graph-walk and random-walk (MicroRCA-style PageRank) baselines, plus the diagnosis speed on 1,000 series
/// of 10k points.
///
/// Defaults to the frozen test split (cases 10 000–10 599, oracle window). For tuning only:
/// `AURORA_RCA_SPLIT=dev` (cases from 0), `AURORA_RCA_CASES=N`, `AURORA_RCA_VERBOSE=1` (print misses
/// and false alarms), `AURORA_RCA_FIT=1` (fit and print the confidence model's weights).
enum RCABench {
    /// One method's answer on one case.
    struct Answer {
        var ranking: [String]
        var confidence: Double
        var pattern: String?
        var features: [Double] = []
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
        let generator = IncidentGenerator(masterSeed: 0, version: syntheticVersion(environment))
        let patterns = try PatternLibrary.builtIn()
        let floor = 0.5

        var generationSeconds = 0.0
        var methods = ["aurora", "nsigma", "baro", "earliest-onset", "graph-walk", "random-walk", "aurora-nograph", "aurora+60s", "baro+60s", "aurora-detected"]
        let kindMethods = ["aurora", "nsigma", "baro", "earliest-onset", "graph-walk", "random-walk", "aurora-nograph"]
        var silentQuiet = 0
        var silentTally = Tally()
        var undetected = 0
        var chanceAt5 = 0.0
        var fitRows: [([Double], Bool)] = []
        var overall: [String: Tally] = [:]
        var byKind: [String: [String: Tally]] = [:]
        var noFault: [String: (cases: Int, quiet: Int)] = [:]
        var namedEarlier: [String: Int] = [:]
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
            var auroraDiagnosis: Diagnosis?
            seconds["aurora"] = try measureSeconds {
                let diagnosis = try analyzer.analyze(series, window: window)
                auroraDiagnosis = diagnosis
                answers["aurora"] = Answer(ranking: diagnosis.services.map(\.service),
                                           confidence: diagnosis.top?.confidence ?? 0, pattern: diagnosis.top?.pattern)
            }
            for baseline in BaselineRanker.allCases {
                seconds[baseline.rawValue] = measureSeconds {
                    answers[baseline.rawValue] = Answer(ranking: baseline.rankServices(series, window: window),
                                                        confidence: 1, pattern: nil)
                }
            }
            if let top = auroraDiagnosis?.top { answers["aurora"]?.features = top.confidenceInputs.features }
            answers["graph-walk"] = Answer(ranking: GraphTraversalBaseline.rankServices(series, window: window, graph: graph),
                                           confidence: 1, pattern: nil)
            answers["random-walk"] = Answer(ranking: RandomWalkBaseline.rankServices(series, window: window, graph: graph),
                                            confidence: 1, pattern: nil)
            func aurora(_ analyzer: RootCauseAnalyzer, _ window: IncidentWindow) throws -> Answer {
                let diagnosis = try analyzer.analyze(series, window: window)
                return Answer(ranking: diagnosis.services.map(\.service), confidence: diagnosis.top?.confidence ?? 0,
                              pattern: diagnosis.top?.pattern, features: diagnosis.top?.confidenceInputs.features ?? [])
            }
            answers["aurora-nograph"] = try aurora(RootCauseAnalyzer(patterns: patterns), window)
            // Robustness: the window starts 6 steps (60 s) after the fault.
            let late = try IncidentWindow(start: window.start + 60_000, end: window.end, history: window.history)
            answers["aurora+60s"] = try aurora(analyzer, late)
            answers["baro+60s"] = Answer(ranking: BaselineRanker.baro.rankServices(series, window: late), confidence: 1, pattern: nil)
            // Detected mode: the window starts where a plain detector first fired (minus a minute).
            if let detected = detectionStart(series, historyEnd: item.time(ofRow: 360) * 1000) {
                let found = try IncidentWindow(start: detected - 60_000, end: window.end, history: window.history)
                answers["aurora-detected"] = try aurora(analyzer, found)
            } else {
                undetected += 1
                answers["aurora-detected"] = Answer(ranking: [], confidence: 0, pattern: nil)
            }
            let label = item.label
            if let answer = answers["aurora"], !answer.features.isEmpty, !label.silent {
                let right = label.hasFault && (answer.ranking.first.map { label.roots.contains($0) } ?? false)
                    && answer.pattern == label.pattern
                fitRows.append((answer.features, right))
            }
            if !label.hasFault {
                for mode in ["aurora", "aurora-detected"] where environment["AURORA_RCA_VERBOSE"] != nil {
                    guard let answer = answers[mode], answer.confidence >= floor else { continue }
                    print("  false alarm (\(mode)) case \(index) \(item.topology.shape.rawValue) top \(answer.ranking.prefix(2)) "
                        + "\(answer.pattern ?? "-") confidence \(String(format: "%.2f", answer.confidence)) \(answer.features) \(label.confounders)")
                }
                // An earlier fault (over before the incident) is a real fault: a window that a detector
                // opened on it holds it, and naming its service is not a false alarm about nothing.
                let earlierServices = Set(label.confounders.filter { $0.hasPrefix("earlier:") }.compactMap { $0.split(separator: ":").last.map(String.init) })
                for method in methods {
                    var entry = noFault[method] ?? (0, 0)
                    entry.cases += 1
                    if (answers[method]?.confidence ?? 0) < floor { entry.quiet += 1 }
                    noFault[method] = entry
                    if let answer = answers[method], answer.confidence >= floor, let top = answer.ranking.first,
                       earlierServices.contains(top) {
                        namedEarlier[method, default: 0] += 1
                    }
                }
                continue
            }
            if label.silent {
                silent += 1
                if (answers["aurora"]?.confidence ?? 0) < floor { silentQuiet += 1 }
                if let answer = answers["aurora"] { silentTally.add(answer, roots: label.roots, pattern: label.pattern, floor: floor) }
                continue
            }
            if label.roots.count > 1 { doubleFault += 1 }
            chanceAt5 += min(1, Double(5 * label.roots.count) / Double(item.topology.services.count))
            let kind = label.kind?.rawValue ?? "?"
            for method in methods {
                guard let answer = answers[method] else { continue }
                overall[method, default: Tally()].add(answer, roots: label.roots, pattern: label.pattern, floor: floor)
                overall[method]?.seconds += seconds[method] ?? 0
                guard kindMethods.contains(method) else { continue }
                byKind[kind, default: [:]][method, default: Tally()].add(answer, roots: label.roots, pattern: label.pattern, floor: floor)
            }
            if environment["AURORA_RCA_VERBOSE"] != nil, let answer = answers["aurora"],
               !(answer.ranking.first.map { label.roots.contains($0) } ?? false) {
                let shape = item.topology.shape.rawValue
                let walk = answers["graph-walk"]?.ranking.first ?? "-"
                print("  miss case \(index) \(kind) \(shape) root \(label.roots) α \(label.alpha) got \(answer.ranking.prefix(3)) walk \(walk) "
                    + "\(answer.pattern ?? "-") \(label.confounders)")
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
        print("  detected mode: no detection on \(undetected) cases (counted as misses / quiet)")
        print("  method            AC@1   AC@3   AC@5   Avg@5  cause  confident  ms/case")
        for method in methods {
            guard let tally = overall[method] else { continue }
            let isAurora = method.hasPrefix("aurora")
            print("  " + method.padding(toLength: 16, withPad: " ", startingAt: 0) + String(
                format: " %.3f  %.3f  %.3f  %.3f  %.3f  %.3f      %.2f", tally.ac(1), tally.ac(3), tally.ac(5), tally.avg5,
                isAurora ? Double(tally.causeHits) / Double(max(tally.cases, 1)) : .nan,
                isAurora ? Double(tally.confident) / Double(max(tally.cases, 1)) : .nan,
                tally.seconds > 0 ? tally.seconds / Double(max(tally.cases, 1)) * 1000 : .nan))
        }
        print("  per fault kind (AC@1 / AC@3 / Avg@5):")
        for kind in byKind.keys.sorted() {
            var line = "    " + kind.padding(toLength: 18, withPad: " ", startingAt: 0)
            for method in kindMethods {
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
        for method in methods where method.hasPrefix("aurora") {
            guard let quiet = noFault[method], quiet.cases > 0 else { continue }
            report("rca specificity on no-fault cases (\(method))",
                   String(format: "%.3f (%d/%d)", Double(quiet.quiet) / Double(quiet.cases), quiet.quiet, quiet.cases),
                   target: method == "aurora" ? "≥ 0.9" : nil)
            let earlier = namedEarlier[method] ?? 0
            if earlier > 0 {
                print("    of the \(quiet.cases - quiet.quiet) at ≥ \(floor): \(earlier) name the service of an earlier real fault "
                    + "in the case; false alarms: \(quiet.cases - quiet.quiet - earlier)")
            }
        }
        if silent > 0 {
            report("rca silent cases left below the floor", String(format: "%.3f (%d/%d)", Double(silentQuiet) / Double(silent),
                                                                    silentQuiet, silent))
            report("rca silent cases: AC@1, cause (root still visible)", String(
                format: "%.3f, %.3f", silentTally.ac(1), Double(silentTally.causeHits) / Double(max(silentTally.cases, 1))))
        }
        if let aurora = overall["aurora"] {
            // Lift@5: AC@5 over what picking 5 services at random would score (about 5 / services).
            report("rca Lift@5 over chance (aurora)", String(format: "%.1f×", aurora.ac(5) / max(chanceAt5 / Double(max(aurora.cases, 1)), 1e-9)))
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
        if environment["AURORA_RCA_FIT"] != nil { fitConfidence(fitRows) }
        try speed(options, patterns: patterns)
    }

    /// Fits the confidence model's logistic weights on these cases and prints them.
    static func fitConfidence(_ rows: [([Double], Bool)]) {
        let model = ConfidenceFitter.fit(rows.map { ($0.0, $0.1) })
        print("  fitted confidence weights (bias, " + ConfidenceModel.featureNames.joined(separator: ", ") + "): "
            + ([model.bias] + model.weights).map { String(format: "%.3f", $0) }.joined(separator: ", "))
    }

    /// A stand-in detector (aurora's own is wired in by the CLI): the first time any series stays
    /// more than 6 robust σ from its first hour for 3 points running, after that hour.
    static func detectionStart(_ series: [Series], historyEnd: Int64) -> Int64? {
        var earliest: Int64?
        for item in series {
            let split = item.timestamps.firstIndex { $0 >= historyEnd } ?? item.count
            let history = item.values[0..<split].sorted()
            guard history.count >= 30 else { continue }
            let median = history[history.count / 2]
            let scale = max((history[history.count * 3 / 4] - history[history.count / 4]) / 1.349, 1e-9, abs(median) * 1e-6)
            var run = 0
            for index in split..<item.count {
                run = abs(item.values[index] - median) / scale > 6 ? run + 1 : 0
                if run == 3 {
                    let start = item.timestamps[index - 2]
                    if earliest.map({ start < $0 }) ?? true { earliest = start }
                    break
                }
            }
        }
        return earliest
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
