import AuroraCore
import AuroraDetection
import Foundation

/// Renders `aurora eval` results: a table (or JSON) of NAB scores per detector and corpus, and with
/// --cross-validate the in-sample score next to the left-out ones per profile.
struct EvalRenderer {
    let context: CommandContext
    let corpora: Int
    let files: Int

    func render(_ rows: [EvalCommand.Row], calibration: [EventCalibration]) {
        if context.json {
            context.console.out.line(JSONValue.object([
                ("files", .integer(Int64(files))),
                ("detectors", .array(rows.map(json))),
                ("event_confidence", .array(calibration.map(EvalCalibrationRendering.json))),
            ]).rendered())
            return
        }
        let crossValidated = rows.contains { !$0.crossValidation.isEmpty }
        if crossValidated { renderCrossValidation(rows) } else { renderScores(rows) }
        if !calibration.isEmpty { renderCalibration(calibration) }
        if rows.contains(where: { !$0.files.isEmpty }) { renderFiles(rows) }
        context.note("\(files) labelled file(s); NAB scores normalised 0 (null detector) to 100 (perfect); "
            + "precision and recall are per event at the default operating point")
    }

    private func renderScores(_ rows: [EvalCommand.Row]) {
        let corpusColumn = corpora > 1 ? ["CORPUS"] : []
        var table = TableRenderer(["DETECTOR"] + corpusColumn + ["STANDARD", "LOW_FP", "LOW_FN", "PRECISION", "RECALL", "F1", "MEAN DELAY"])
        for row in rows {
            table.add([row.detector] + (corpora > 1 ? [row.corpus] : []) + row.results.map { Self.score($0.normalizedScore) } + events(row))
        }
        context.console.out.write(table.render(style: context.style))
    }

    private func renderCrossValidation(_ rows: [EvalCommand.Row]) {
        var table = TableRenderer(["DETECTOR", "CORPUS", "PROFILE", "IN-SAMPLE", "LEFT-OUT", "MEAN FOLD", "WORST FOLD", "PRECISION", "RECALL"])
        var folds = TableRenderer(["DETECTOR", "CORPUS", "PROFILE", "CATEGORY", "WINDOWS", "CHOSEN", "THRESHOLD", "SCORE", "FP ROWS"])
        var candidates = TableRenderer(["DETECTOR", "CORPUS", "PROFILE", "CANDIDATE", "IN-SAMPLE"])
        for row in rows {
            for validation in row.crossValidation {
                let worst = validation.worstFold.map { "\(Self.score($0.result.normalizedScore)) \($0.group.category)" } ?? "-"
                table.add([
                    row.detector, row.corpus, validation.profile.name, Self.score(validation.inSample.normalizedScore),
                    Self.score(validation.leftOut), validation.meanFold.map(Self.score) ?? "-", worst,
                    String(format: "%.2f", row.events.precision), String(format: "%.2f", row.events.recall),
                ])
                for candidate in validation.candidateScores {
                    candidates.add([row.detector, row.corpus, validation.profile.name, candidate.label, Self.score(candidate.score)])
                }
                for fold in validation.folds {
                    folds.add([
                        row.detector, row.corpus, validation.profile.name, fold.group.category, String(fold.windows),
                        fold.candidate, String(format: "%.4f", fold.threshold), fold.normalizedScore.map(Self.score) ?? "-",
                        String(fold.result.falsePositives),
                    ])
                }
            }
        }
        context.console.out.write(table.render(style: context.style))
        if context.arguments.flag("folds") {
            context.console.out.line("")
            context.console.out.write(folds.render(style: context.style))
            context.console.out.line("")
            context.console.out.write(candidates.render(style: context.style))
        }
    }

    /// How the default ensemble's event confidence held on these labels (an event is right when it
    /// touches a window).
    private func renderCalibration(_ calibration: [EventCalibration]) {
        var summary = TableRenderer(EvalCalibrationRendering.summaryHeaders)
        var bands = TableRenderer(EvalCalibrationRendering.bandHeaders)
        for entry in calibration {
            summary.add(EvalCalibrationRendering.summary(entry))
            for row in EvalCalibrationRendering.bands(entry) { bands.add(row) }
        }
        context.console.out.line("")
        context.console.out.line("Event confidence (default ensemble): how often events were right, by their confidence")
        context.console.out.write(summary.render(style: context.style))
        if context.arguments.flag("folds") || !context.arguments.flag("cross-validate") {
            context.console.out.line("")
            context.console.out.write(bands.render(style: context.style))
        }
    }

    /// Each file at the default operating point: where the misses and the false pages are.
    private func renderFiles(_ rows: [EvalCommand.Row]) {
        let detectorColumn = rows.count > corpora ? ["DETECTOR"] : []
        var table = TableRenderer(detectorColumn + ["FILE", "WINDOWS", "FOUND", "EVENTS", "RIGHT", "FALSE"])
        for row in rows {
            for file in row.files {
                let events = file.events
                table.add((detectorColumn.isEmpty ? [] : [row.detector]) + [
                    file.key, String(events.windows), String(events.detectedWindows), String(events.detections),
                    String(events.trueDetections), String(events.detections - events.trueDetections),
                ])
            }
        }
        context.console.out.line("")
        context.console.out.line("Files, at the default operating point (events after the probationary period; right: touching a window)")
        context.console.out.write(table.render(style: context.style))
    }

    private func events(_ row: EvalCommand.Row) -> [String] {
        [
            String(format: "%.2f", row.events.precision), String(format: "%.2f", row.events.recall),
            String(format: "%.2f", row.events.f1),
            row.events.meanDelayMilliseconds.map { DurationText.format(($0 / 1000).rounded()) } ?? "-",
        ]
    }

    private func json(_ row: EvalCommand.Row) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("detector", .string(row.detector)),
            ("corpus", .string(row.corpus)),
            ("nab", .object(row.results.map { result in
                (result.profile.name, .object([
                    ("score", Self.rounded(result.normalizedScore)),
                    ("threshold", .number(result.threshold)),
                    ("true_positives", .integer(Int64(result.truePositives))),
                    ("false_positives", .integer(Int64(result.falsePositives))),
                ]))
            })),
            ("precision", .number(row.events.precision)), ("recall", .number(row.events.recall)),
            ("f1", .number(row.events.f1)),
            ("mean_delay_seconds", row.events.meanDelayMilliseconds.map { .number(($0 / 1000).rounded()) } ?? .null),
        ]
        if !row.files.isEmpty {
            pairs.append(("files", .array(row.files.map { file in
                .object([
                    ("file", .string(file.key)), ("windows", .integer(Int64(file.events.windows))),
                    ("windows_found", .integer(Int64(file.events.detectedWindows))),
                    ("events", .integer(Int64(file.events.detections))), ("events_right", .integer(Int64(file.events.trueDetections))),
                ])
            })))
        }
        if !row.crossValidation.isEmpty {
            pairs.append(("cross_validation", .object(row.crossValidation.map { validation in
                (validation.profile.name, .object([
                    ("in_sample", Self.rounded(validation.inSample.normalizedScore)),
                    ("left_out", Self.rounded(validation.leftOut)),
                    ("mean_fold", validation.meanFold.map(Self.rounded) ?? .null),
                    ("worst_fold", validation.worstFold.map { .string($0.group.category) } ?? .null),
                    ("candidates", .object(validation.candidateScores.map { ($0.label, Self.rounded($0.score)) })),
                    ("folds", .array(validation.folds.map { fold in
                        .object([
                            ("category", .string(fold.group.category)),
                            ("windows", .integer(Int64(fold.windows))),
                            ("chosen", .string(fold.candidate)),
                            ("threshold", .number(fold.threshold)),
                            ("score", fold.normalizedScore.map(Self.rounded) ?? .null),
                            ("raw_score", .number(fold.result.rawScore)),
                            ("false_positives", .integer(Int64(fold.result.falsePositives))),
                        ])
                    })),
                ]))
            })))
        }
        return .object(pairs)
    }

    static func score(_ value: Double) -> String { String(format: "%.1f", value) }
    static func rounded(_ value: Double) -> JSONValue { .number((value * 100).rounded() / 100) }
}
