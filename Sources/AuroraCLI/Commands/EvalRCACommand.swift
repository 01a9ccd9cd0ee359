import AuroraCore
import AuroraDiagnosis
import AuroraOperations
import Foundation

/// `aurora eval-rca DIR…`: runs the root-cause analysis over past incidents with known causes and
/// grades the ranking and the confidence.
enum EvalRCACommand {
    static let spec = CommandSpec(
        "eval-rca",
        summary: "grade root-cause analysis on past incidents with known causes (AC@k, reliability of the confidence)",
        discussion: """
        Reads every case folder under DIR (a folder with case.json and metrics.csv.gz or metrics.csv, the \
        aurora-rca-case/1 format: the incident time, the normal window before it, the services, the call \
        graph and the root service), diagnoses each incident as `aurora diagnose FILE --at TIME` would, with \
        the case's own graph, and prints per group (all, then each value of case.json's `groups`): AC@1, \
        AC@3, AC@5 (the share of cases whose root is among the first k services), Avg@5 (mean of AC@1…AC@5) \
        and the Avg@5 of a random order. Then the reliability table: for each confidence band of the tiers \
        (escalate < 0.5 ≤ approval < 0.7 ≤ auto with monitoring < 0.9 ≤ auto), how many top candidates fell \
        in it and how often they were right; a band with 5 or more cases holds when its accuracy reaches \
        its lower bound. ECE is the expected calibration error over ten equal-width bins; Brier the mean \
        squared error of the confidence. A case whose diagnosis fails counts as a miss. Patterns, thresholds \
        and tiers come from the configuration, as for `diagnose`.

        With --cross-validate DIMENSION the confidence model is refitted on these cases (a logistic \
        regression from each top candidate's evidence to whether it was right) and checked on cases the fit \
        never saw: each value of the dimension (e.g. `system`) is left out in turn and scored by the model \
        fitted on the others. The ridge (shrinkage of the weights) is the one whose left-out predictions, \
        pooled over the folds, have the lowest log loss. It prints the ridges tried, the left-out \
        reliability per fold and pooled, the in-sample one, and the weights fitted on every case with the \
        chosen ridge (how aurora's default weights were chosen).

        With --baseline NAME the cases are ranked by a published method instead of aurora, for comparison on \
        the same cases: nsigma (largest deviation in standard deviations of the history), baro (BARO's \
        median/IQR scorer), earliest-onset (the service whose series changed first), graph-walk (from the \
        entry services down through changed callees) or random-walk (MicroRCA-style personalised PageRank \
        over the call graph, seeded by each service's change). A baseline gives no confidence, so only the \
        AC table is printed.
        """,
        options: [
            .flag("per-case", "also list each case: its root, the rank it got, the top service and its confidence"),
            .value("cross-validate", "DIMENSION",
                   "refit the confidence on these cases, leaving each value of this group dimension out in turn (e.g. system)"),
            .value("baseline", "NAME", kind: .choice(RCABaseline.allCases.map(\.rawValue)),
                   "rank with a published method instead of aurora (no confidence): "
                   + RCABaseline.allCases.map(\.rawValue).joined(separator: ", ")),
        ],
        arguments: [ArgumentSpec("DIR", kind: .directory, variadic: true, "folders of cases (searched recursively for case.json)")],
        examples: [
            "aurora eval-rca rca-dev/cases",
            "aurora eval-rca past-incidents/ --per-case",
            "aurora eval-rca rca-dev/cases --json > rca-report.json",
            "aurora eval-rca rca-dev/cases synthetic/ --cross-validate system",
            "aurora eval-rca rca-dev/cases --baseline random-walk",
        ],
        handler: run)

    static func run(_ context: CommandContext) async throws -> ExitStatus {
        let roots = context.arguments.positionals.map(context.path)
        guard !roots.isEmpty else { throw UsageError("'aurora eval-rca' needs a folder of cases: aurora eval-rca DIR") }
        var folders: [String] = []
        for root in roots { folders += try RCACaseReader.caseFolders(under: root) }
        guard !folders.isEmpty else {
            throw SimpleFailure(.noInput, "no case.json under \(roots.joined(separator: ", "))")
        }
        let baseline = try context.arguments.value("baseline").map { name in
            guard let baseline = RCABaseline(rawValue: name) else {
                throw UsageError("unknown baseline '\(name)': use one of " + RCABaseline.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return baseline
        }
        if baseline != nil, context.arguments.value("cross-validate") != nil {
            throw UsageError("--baseline gives no confidence to refit: use it without --cross-validate")
        }
        let configuration = try context.configuration()
        let evaluator = RCAEvaluator(patterns: try AnalyzerFactory.patterns(configuration, resolve: context.path),
                                     options: try AnalyzerFactory.options(configuration))
        var outcomes: [RCAOutcome] = []
        var serviceCounts: [String: Int] = [:]
        for folder in folders {
            // One case in memory at a time: a folder of hundreds of cases stays small.
            let item = try RCACaseReader.read(folder: folder)
            let outcome = baseline.map { evaluator.evaluate(item, baseline: $0) } ?? evaluator.evaluate(item)
            if let failure = outcome.failure { context.note("\(folder): diagnosis failed: \(failure)") }
            serviceCounts[item.id] = max(Set(item.services).union(outcome.ranking).count, 1)
            outcomes.append(outcome)
        }
        let board = RCAScoreboard(outcomes, serviceCounts: serviceCounts)
        let reliability = ReliabilityTable(outcomes)
        let validation = context.arguments.value("cross-validate").map { RCACrossValidation(outcomes, dimension: $0) }
        if context.json {
            var object = json(board: board, reliability: reliability, outcomes: outcomes)
            if let validation, case .object(var pairs) = object {
                pairs.append(("cross_validation", json(validation)))
                object = .object(pairs)
            }
            context.console.out.line(object.rendered())
        } else {
            render(board: board, reliability: baseline == nil ? reliability : nil, outcomes: outcomes, context: context)
            if let validation { render(validation, context: context) }
        }
        return .success
    }

    /// The AC table, the reliability table (nil for a baseline, which gives no confidence) and the cases.
    static func render(board: RCAScoreboard, reliability: ReliabilityTable?, outcomes: [RCAOutcome], context: CommandContext) {
        let out = context.console.out
        var table = TableRenderer(["GROUP", "CASES", "AC@1", "AC@3", "AC@5", "AVG@5", "CHANCE"])
        for row in board.rows {
            let name = row.group.dimension == "all" ? "all" : "\(row.group.dimension)=\(row.group.value)"
            table.add([name, String(row.cases)] + [row.ac(1), row.ac(3), row.ac(5), row.avg5, row.chance].map { format($0) })
        }
        out.write(table.render(style: context.style))
        if let reliability {
            out.line()
            out.write(reliabilityTable(reliability).render(style: context.style))
            out.line("ECE \(format(reliability.expectedCalibrationError))  Brier \(format(reliability.brierScore))  cases \(reliability.cases)")
        }
        if context.arguments.flag("per-case") {
            out.line()
            var cases = TableRenderer(["CASE", "ROOT", "RANK", "TOP", "CONFIDENCE"])
            for outcome in outcomes {
                cases.add([outcome.id, outcome.roots.joined(separator: ","), outcome.hitRank.map(String.init) ?? "-",
                           outcome.failure == nil ? (outcome.ranking.first ?? "-") : "(failed)", format(outcome.confidence)])
            }
            out.write(cases.render(style: context.style))
        }
    }

    static func render(_ validation: RCACrossValidation, context: CommandContext) {
        let out = context.console.out
        out.line()
        out.line(context.style.bold("Confidence refitted on these cases, each `\(validation.dimension)` left out in turn"))
        out.line()
        var ridges = TableRenderer(["RIDGE", "LEFT-OUT LOG LOSS", "LEFT-OUT ECE", "CHOSEN"])
        for score in validation.ridgeScores {
            ridges.add([String(format: "%g", score.ridge), String(format: "%.3f", score.leftOutLogLoss), format(score.leftOutECE),
                        score.ridge == validation.ridge ? "yes" : ""])
        }
        out.write(ridges.render(style: context.style))
        for fold in validation.folds {
            out.line()
            out.line("left out: \(fold.value) (\(fold.outcomes.count) cases), scored by the model fitted on the others")
            out.write(reliabilityTable(fold.table).render(style: context.style))
            out.line("ECE \(format(fold.table.expectedCalibrationError))  Brier \(format(fold.table.brierScore))")
        }
        out.line()
        out.line("every fold left out, pooled")
        out.write(reliabilityTable(validation.leftOut).render(style: context.style))
        out.line("ECE \(format(validation.leftOut.expectedCalibrationError))  Brier \(format(validation.leftOut.brierScore))")
        out.line()
        out.line("in sample (fitted on every case)")
        out.write(reliabilityTable(validation.inSample).render(style: context.style))
        out.line("ECE \(format(validation.inSample.expectedCalibrationError))  Brier \(format(validation.inSample.brierScore))")
        out.line("weights fitted on every case (ridge \(String(format: "%g", validation.ridge))): bias \(String(format: "%.3f", validation.model.bias)), "
            + zip(ConfidenceModel.featureNames, validation.model.weights).map { "\($0.0) \(String(format: "%.3f", $0.1))" }
            .joined(separator: ", "))
    }

    static func reliabilityTable(_ reliability: ReliabilityTable) -> TableRenderer {
        var bands = TableRenderer(["CONFIDENCE", "CASES", "RIGHT", "ACCURACY", "MEAN CONFIDENCE", "HOLDS"])
        for band in reliability.bands {
            bands.add([bandName(band), String(band.cases), String(band.right), band.accuracy.map { format($0) } ?? "-",
                       band.cases == 0 ? "-" : format(band.meanConfidence),
                       band.cases < 5 ? "(< 5 cases)" : (band.holds() ? "yes" : "NO")])
        }
        return bands
    }

    static func json(_ table: ReliabilityTable) -> JSONValue {
        .object([
            ("bands", .array(table.bands.map { band in
                .object([
                    ("lower", .number(band.lower)), ("upper", .number(band.upper)), ("cases", .integer(Int64(band.cases))),
                    ("right", .integer(Int64(band.right))), ("accuracy", band.accuracy.map(JSONValue.number) ?? .null),
                    ("mean_confidence", .number(band.meanConfidence)), ("holds", .bool(band.holds())),
                ])
            })),
            ("ece", .number(table.expectedCalibrationError)), ("brier", .number(table.brierScore)),
            ("holds", .bool(table.holds())),
        ])
    }

    static func json(_ validation: RCACrossValidation) -> JSONValue {
        .object([
            ("dimension", .string(validation.dimension)),
            ("ridge", .number(validation.ridge)),
            ("ridges", .array(validation.ridgeScores.map { score in
                .object([("ridge", .number(score.ridge)), ("left_out_log_loss", .number(score.leftOutLogLoss)),
                         ("left_out_ece", .number(score.leftOutECE))])
            })),
            ("weights", .object([("bias", .number(validation.model.bias))]
                + zip(ConfidenceModel.featureNames, validation.model.weights).map { ($0.0, JSONValue.number($0.1)) })),
            ("in_sample", json(validation.inSample)),
            ("left_out", json(validation.leftOut)),
            ("folds", .array(validation.folds.map { fold in
                .object([("value", .string(fold.value)), ("cases", .integer(Int64(fold.outcomes.count))),
                         ("reliability", json(fold.table))])
            })),
        ])
    }

    static func bandName(_ band: ReliabilityTable.Band) -> String {
        "\(format(band.lower))–\(format(band.upper))"
    }

    static func json(board: RCAScoreboard, reliability: ReliabilityTable, outcomes: [RCAOutcome]) -> JSONValue {
        .object([
            ("cases", .integer(Int64(outcomes.count))),
            ("groups", .array(board.rows.map { row in
                .object([
                    ("dimension", .string(row.group.dimension)), ("value", .string(row.group.value)),
                    ("cases", .integer(Int64(row.cases))),
                    ("ac1", .number(row.ac(1))), ("ac3", .number(row.ac(3))), ("ac5", .number(row.ac(5))),
                    ("avg5", .number(row.avg5)), ("chance", .number(row.chance)), ("failures", .integer(Int64(row.failures))),
                ])
            })),
            ("reliability", .object([
                ("bands", .array(reliability.bands.map { band in
                    .object([
                        ("lower", .number(band.lower)), ("upper", .number(band.upper)), ("cases", .integer(Int64(band.cases))),
                        ("right", .integer(Int64(band.right))), ("accuracy", band.accuracy.map(JSONValue.number) ?? .null),
                        ("mean_confidence", .number(band.meanConfidence)), ("holds", .bool(band.holds())),
                    ])
                })),
                ("ece", .number(reliability.expectedCalibrationError)), ("brier", .number(reliability.brierScore)),
            ])),
            ("per_case", .array(outcomes.map { outcome in
                .object([
                    ("id", .string(outcome.id)),
                    ("groups", .object(outcome.groups.map { ($0.dimension, .string($0.value)) })),
                    ("roots", .array(outcome.roots.map(JSONValue.string))),
                    ("rank", outcome.hitRank.map { .integer(Int64($0)) } ?? .null),
                    ("ranking", .array(outcome.ranking.prefix(5).map(JSONValue.string))),
                    ("confidence", .number(outcome.confidence)),
                    ("features", outcome.inputs.map { .array($0.features.map(JSONValue.number)) } ?? .null),
                    ("inputs", outcome.inputs.map(json) ?? .null),
                    ("scores", .array(outcome.scores.map(JSONValue.number))),
                    ("key_metric", outcome.keyMetric.map(JSONValue.string) ?? .null),
                    ("key_role", outcome.keyRole.map(JSONValue.string) ?? .null),
                    ("failure", outcome.failure.map(JSONValue.string) ?? .null),
                ])
            })),
        ])
    }

    /// Every part of the top candidate's evidence, as the confidence model saw it (also those it does not weigh).
    static func json(_ inputs: ConfidenceModel.Inputs) -> JSONValue {
        .object([
            ("strength", .number(inputs.strength)), ("margin", .number(inputs.margin)), ("pattern", .number(inputs.pattern)),
            ("correlation", .number(inputs.correlation)), ("history", .number(inputs.history)), ("timing", .number(inputs.timing)),
            ("resource", .number(inputs.resource)), ("corroboration", .number(inputs.corroboration)),
            ("concurrent_services", .integer(Int64(inputs.concurrentServices))), ("series_count", .integer(Int64(inputs.seriesCount))),
            ("role_known", .bool(inputs.roleKnown)), ("history_points", .integer(Int64(inputs.historyPoints))),
            ("candidate_services", .integer(Int64(inputs.candidateServices))),
        ])
    }

    static func format(_ value: Double) -> String { String(format: "%.2f", value) }
}
