import AuroraCore
import AuroraOperations
import AuroraDetection
import AuroraIngest
import Foundation

/// `aurora eval FILE… --labels WINDOWS.json`: backtests detectors against labelled anomaly windows.
enum EvalCommand {
    static let spec = CommandSpec(
        "eval",
        summary: "backtest detectors against labelled anomaly windows (NAB scoring)",
        discussion: """
        Scores every input series with the chosen detectors and grades the scores against labelled windows \
        in the Numenta Anomaly Benchmark's combined_windows.json format (keys are data file paths relative \
        to the corpus, matched against the end of each input path). Prints the NAB score under its three \
        profiles (standard, reward_low_FP_rate, reward_low_FN_rate: NAB's weights, scaled sigmoid, 15% \
        probationary period, corpus-wide threshold optimisation, normalised between the null and the perfect \
        detector), plus event precision, recall, F1 and mean detection delay at the standard threshold.
        """,
        options: [
            .value("labels", short: "l", "WINDOWS.json", kind: .file, "labelled windows (NAB combined_windows.json format)"),
            .value("detector", short: "d", "NAME[,NAME]|all", repeatable: true,
                   "grade these detectors one by one; `all` grades every detector and the ensemble (default: the ensemble)"),
        ],
        arguments: [ArgumentSpec("FILE", kind: .file, variadic: true, "labelled data files or directories (CSV)")],
        examples: [
            "aurora eval nab/data --labels nab/labels/combined_windows.json",
            "aurora eval nab/data --labels nab/labels/combined_windows.json --detector all --json",
        ],
        handler: run)

    struct Row {
        let detector: String
        let results: [NABResult]
        let events: NABEventMetrics
    }

    static func run(_ context: CommandContext) async throws -> ExitStatus {
        guard let labelsPath = context.arguments.value("labels") else {
            throw UsageError("'aurora eval' needs --labels WINDOWS.json")
        }
        let labelsFile = context.path(labelsPath)
        guard let labelData = FileManager.default.contents(atPath: labelsFile) else {
            throw SimpleFailure(.noInput, "\(labelsFile): cannot read the labels file")
        }
        let labels: [String: [NABWindow]]
        do { labels = try NABLabels.parse(labelData) } catch let error as DetectionError {
            throw SimpleFailure(.dataError, "\(labelsFile): \(error.description)")
        }
        var files: [(key: String, series: Series)] = []
        for path in try expand(context.arguments.positionals.map(context.path)) {
            guard let key = labels.keys.filter({ path == $0 || path.hasSuffix("/" + $0) }).max(by: { $0.count < $1.count }) else {
                context.note("warning: \(path) has no entry in the labels file; skipped")
                continue
            }
            var options = IngestOptions()
            options.keepFileOrder = true
            let rows = try readRows(.path(path), options: options)
            files.append((key, DetectCommand.finiteOnly(rows.series)))
        }
        guard !files.isEmpty else { throw SimpleFailure(.noInput, "no input file matches an entry of \(labelsFile)") }

        let registry = DetectorCatalogue.registry
        let settings = try DetectorCatalogue.settings(context)
        var requested = context.arguments.list("detector")
        var configurations: [(name: String, detectors: [String]?)] = []
        if requested == ["all"] {
            configurations = registry.names.map { ($0, [$0]) } + [("ensemble", nil)]
        } else if requested.isEmpty {
            configurations = [("ensemble", nil)]
        } else {
            requested.removeAll { $0 == "all" }
            configurations = requested.map { ($0, [$0]) }
        }
        var rows: [Row] = []
        for configuration in configurations {
            let detection: DetectionRun
            do {
                detection = try DetectionRun(settings: settings, registry: registry, detectors: configuration.detectors,
                                             includeRules: false, emitScores: true)
            } catch let error as DetectionError {
                throw UsageError(error.description)
            }
            let results = try await detection.run(files.map(\.series))
            let nabFiles = zip(files, results).map { file, result in
                NABFile(name: file.key, timestamps: file.series.timestamps, scores: result.scores, windows: labels[file.key] ?? [])
            }
            let graded = NABProfile.all.map { NABScorer.score(nabFiles, profile: $0) }
            rows.append(Row(detector: configuration.name, results: graded,
                            events: NABEventMetrics.measure(nabFiles, threshold: graded[0].threshold)))
        }
        render(rows, files: files.count, context: context)
        return .success
    }

    static func expand(_ paths: [String]) throws -> [String] {
        var result: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw SimpleFailure(.noInput, "\(path): no such file or directory")
            }
            if !isDirectory.boolValue { result.append(path); continue }
            let found = (FileManager.default.enumerator(atPath: path)?.allObjects as? [String] ?? [])
                .filter { $0.lowercased().hasSuffix(".csv") }.sorted()
            result += found.map { (path as NSString).appendingPathComponent($0) }
        }
        return result
    }

    static func render(_ rows: [Row], files: Int, context: CommandContext) {
        if context.json {
            context.console.out.line(JSONValue.object([
                ("files", .integer(Int64(files))),
                ("detectors", .array(rows.map { row in
                    .object([
                        ("detector", .string(row.detector)),
                        ("nab", .object(row.results.map { result in
                            (result.profile.name, .object([
                                ("score", .number((result.normalizedScore * 100).rounded() / 100)),
                                ("threshold", .number(result.threshold)),
                                ("true_positives", .integer(Int64(result.truePositives))),
                                ("false_positives", .integer(Int64(result.falsePositives))),
                            ]))
                        })),
                        ("precision", .number(row.events.precision)), ("recall", .number(row.events.recall)),
                        ("f1", .number(row.events.f1)),
                        ("mean_delay_seconds", row.events.meanDelayMilliseconds.map { .number(($0 / 1000).rounded()) } ?? .null),
                    ])
                })),
            ]).rendered())
            return
        }
        var table = TableRenderer(["DETECTOR", "STANDARD", "LOW_FP", "LOW_FN", "PRECISION", "RECALL", "F1", "MEAN DELAY"])
        for row in rows {
            table.add([row.detector] + row.results.map { String(format: "%.1f", $0.normalizedScore) } + [
                String(format: "%.2f", row.events.precision), String(format: "%.2f", row.events.recall),
                String(format: "%.2f", row.events.f1),
                row.events.meanDelayMilliseconds.map { DurationText.format(($0 / 1000).rounded()) } ?? "-",
            ])
        }
        context.console.out.write(table.render(style: context.style))
        context.note("\(files) labelled file(s); NAB scores normalised 0 (null detector) to 100 (perfect)")
    }
}
