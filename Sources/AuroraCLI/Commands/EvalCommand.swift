import AuroraCore
import AuroraOperations
import AuroraDetection
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
        detector), plus event precision, recall, F1 and mean detection delay at the default operating point \
        (the ensemble's own threshold, the one `aurora detect` pages at). Several --labels files grade several \
        corpora at once. --cross-validate leaves each category (the first folder of a file's key) out in turn: \
        the parameters and the threshold are chosen on every other category of every corpus (maximising the \
        mean of the corpora's normalised scores) and the left-out category is scored with them. It reports, \
        per corpus and profile, the in-sample score, the folds pooled (left-out), the mean fold and the worst fold. \
        For the default ensemble it also grades the events' confidence: an event is right when it touches a \
        window (events in the probationary period are left out); per corpus, the events of each confidence \
        band and how many were right, the calibration error (ECE) and Brier score, and the model these labels \
        would fit; with --cross-validate, the same for a model refitted with each category left out. \
        --files lists each file with its windows found and its events (right: touching a window), to see \
        where a detector misses or pages falsely.
        """,
        options: [
            .value("labels", short: "l", "WINDOWS.json", kind: .file, repeatable: true,
                   "labelled windows (NAB combined_windows.json format); repeat for several corpora"),
            .value("detector", short: "d", "NAME[,NAME]|all", repeatable: true,
                   "grade these detectors one by one; `all` grades every detector and the ensemble (default: the ensemble)").completing(.detectors),
            .flag("cross-validate", "also leave each category out in turn: parameters and threshold chosen on the others, scored on it"),
            .flag("folds", "with --cross-validate, list every fold (category, chosen parameters and threshold, score)"),
            .flag("markdown", "with --cross-validate, print the evaluation as a Markdown document (docs/detection-evaluation.md)"),
            .flag("files", "also list every file: windows found, events and how many were right, at the default operating point"),
        ],
        arguments: [ArgumentSpec("FILE", kind: .file, variadic: true, "labelled data files or directories (CSV)")],
        examples: [
            "aurora eval nab/data --labels nab/labels/combined_windows.json",
            "aurora eval nab/data --labels nab/labels/combined_windows.json --detector all --json",
            "aurora eval mydumps/ --labels mylabels.json --files",
            "aurora eval nab/data cloudmon/data --labels nab/labels/combined_windows.json --labels cloudmon/labels/combined_windows.json --cross-validate",
        ],
        handler: run)

    /// One detector configuration graded on every corpus.
    struct Row {
        let detector: String
        let corpus: String
        let results: [NABResult]
        /// Event metrics at the default operating point (the ensemble's own threshold).
        let events: NABEventMetrics
        /// Per profile, with --cross-validate.
        let crossValidation: [CorpusCrossValidation]
        /// Each file's event metrics at the default operating point, in input order (with --files).
        let files: [(key: String, events: NABEventMetrics)]
    }

    static func run(_ context: CommandContext) async throws -> ExitStatus {
        let labelPaths = context.arguments.list("labels")
        guard !labelPaths.isEmpty else { throw UsageError("'aurora eval' needs --labels WINDOWS.json") }
        let crossValidate = context.arguments.flag("cross-validate")
        if context.arguments.flag("folds") && !crossValidate { throw UsageError("--folds needs --cross-validate") }
        if context.arguments.flag("markdown") && !crossValidate { throw UsageError("--markdown needs --cross-validate") }
        let corpus = try EvalCorpus.load(labelPaths: labelPaths, inputs: context.arguments.positionals, context: context)

        let registry = DetectorRegistry.standard
        let settings = try DetectionSettings(configuration: try context.configuration())
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
        let groups = corpus.files.map(\.group)
        var rows: [Row] = []
        var calibration: [EventCalibration] = []
        for configuration in configurations {
            // Without cross-validation only the configured settings are scored.
            let tried = TuningCandidates.candidates(for: settings, detectors: configuration.detectors)
            var candidates: [EvaluationCandidate] = []
            for (label, candidateSettings) in crossValidate ? tried : Array(tried.prefix(1)) {
                let detection: DetectionRun
                do {
                    detection = try DetectionRun(settings: candidateSettings, registry: registry, detectors: configuration.detectors,
                                                 includeRules: false, emitScores: true)
                } catch let error as DetectionError {
                    throw UsageError(error.description)
                }
                let results = try await detection.run(corpus.files.map(\.series))
                // The events' confidence is fitted for the configured ensemble: graded on its events only.
                if configuration.detectors == nil && candidates.isEmpty {
                    let outcomes = zip(results, corpus.files).map { result, file in
                        EventOutcome.grade(result.events, timestamps: file.series.timestamps, windows: file.windows)
                    }
                    calibration = EventCalibration.measure(outcomes, groups: groups, crossValidate: crossValidate)
                }
                candidates.append(EvaluationCandidate(label: label, files: corpus.nabFiles(scores: results.map(\.scores))))
            }
            let validations = crossValidate
                ? NABProfile.all.map { CategoryCrossValidation.run(candidates: candidates, groups: groups, profile: $0) } : []
            for name in corpus.corpora {
                let inCorpus = zip(zip(candidates[0].files, groups), corpus.files).filter { $0.0.1.corpus == name }
                let files = inCorpus.map(\.0.0)
                let threshold = settings.ensemble.threshold
                rows.append(Row(
                    detector: configuration.name, corpus: name,
                    results: NABProfile.all.map { NABScorer.score(files, profile: $0) },
                    events: NABEventMetrics.measure(files, threshold: threshold),
                    crossValidation: validations.compactMap { $0.first { $0.corpus == name } },
                    files: context.arguments.flag("files")
                        ? inCorpus.map { ($0.1.key, NABEventMetrics.measure([$0.0.0], threshold: threshold)) } : []))
            }
        }
        if context.arguments.flag("markdown") {
            let command = (["aurora", "eval"] + context.arguments.positionals + labelPaths.flatMap { ["--labels", $0] }
                + context.arguments.list("detector").flatMap { ["--detector", $0] } + ["--cross-validate", "--markdown"]).joined(separator: " ")
            context.console.out.write(EvalMarkdown.document(rows, calibration: calibration, files: corpus.files.count, command: command))
            return .success
        }
        EvalRenderer(context: context, corpora: corpus.corpora.count, files: corpus.files.count).render(rows, calibration: calibration)
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
}
