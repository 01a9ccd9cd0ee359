import AuroraCore
import AuroraDetection
import Foundation

/// The events' confidence graded by `aurora eval`: rendered as a summary per corpus and a table of
/// confidence bands, for the terminal, JSON and the Markdown document.
enum EvalCalibrationRendering {
    static let summaryHeaders = ["CORPUS", "EVENTS", "RIGHT", "ECE", "BRIER", "LEFT-OUT ECE", "LEFT-OUT BRIER", "FITTED HERE"]
    static let bandHeaders = ["CORPUS", "CONFIDENCE", "EVENTS", "MEAN", "RIGHT", "LEFT-OUT EVENTS", "LEFT-OUT MEAN", "LEFT-OUT RIGHT"]

    static func summary(_ entry: EventCalibration) -> [String] {
        let table = entry.shipped
        return [
            entry.corpus, String(table.cases), String(table.bands.reduce(0) { $0 + $1.right }),
            two(table.expectedCalibrationError), three(table.brierScore),
            entry.leftOut.map { two($0.expectedCalibrationError) } ?? "-", entry.leftOut.map { three($0.brierScore) } ?? "-",
            entry.refitted.map(model) ?? "too few events",
        ]
    }

    static func bands(_ entry: EventCalibration) -> [[String]] {
        entry.shipped.bands.enumerated().map { index, band in
            let held = entry.leftOut.map { $0.bands[index] }
            return [
                entry.corpus, name(band), String(band.cases), mean(band), share(band),
                held.map { String($0.cases) } ?? "-", held.map(mean) ?? "-", held.map(share) ?? "-",
            ]
        }
    }

    /// `0.25–0.35`; the last band includes 1.
    static func name(_ band: ReliabilityTable.Band) -> String { String(format: "%.2f–%.2f", band.lower, band.upper) }

    /// `-1.52 + 2.40 × peak`: the logistic model's linear part.
    static func model(_ confidence: EventConfidence) -> String {
        String(format: "%.2f + %.2f × peak", confidence.model.bias, confidence.model.weights.first ?? 0)
    }

    static func json(_ entry: EventCalibration) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("corpus", .string(entry.corpus)),
            ("shipped", json(entry.shipped)),
            ("fitted_here", entry.refitted.map { fitted in
                .object([("bias", .number(rounded(fitted.model.bias))), ("weight", .number(rounded(fitted.model.weights.first ?? 0)))])
            } ?? .null),
        ]
        if let leftOut = entry.leftOut { pairs.append(("left_out", json(leftOut))) }
        return .object(pairs)
    }

    static func json(_ table: ReliabilityTable) -> JSONValue {
        .object([
            ("events", .integer(Int64(table.cases))),
            ("ece", .number(rounded(table.expectedCalibrationError))),
            ("brier", .number(rounded(table.brierScore))),
            ("bands", .array(table.bands.map { band in
                .object([
                    ("lower", .number(band.lower)), ("upper", .number(band.upper)),
                    ("events", .integer(Int64(band.cases))), ("right", .integer(Int64(band.right))),
                    ("mean_confidence", .number(rounded(band.meanConfidence))),
                ])
            })),
        ])
    }

    private static func mean(_ band: ReliabilityTable.Band) -> String { band.cases == 0 ? "-" : two(band.meanConfidence) }
    private static func share(_ band: ReliabilityTable.Band) -> String { band.accuracy.map(two) ?? "-" }
    private static func two(_ value: Double) -> String { String(format: "%.2f", value) }
    private static func three(_ value: Double) -> String { String(format: "%.3f", value) }
    private static func rounded(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }
}
