import AuroraCore
import AuroraOperations
import AuroraStore
import Foundation

/// How a learned-pattern shortcut (immunisation) is shown.
extension Immunity {
    var json: JSONValue {
        .object([
            ("id", .integer(pattern.id)), ("name", .string(pattern.name)), ("cause", .string(pattern.cause)),
            ("remediation", .optional(pattern.remediation)), ("confidence", .number(pattern.immunisedConfidence)),
            ("playbook_confidence", .number(pattern.confidence)),
            ("similarity", .number(similarity)), ("tier", .string(tier.rawValue)),
        ])
    }

    func render(incident: IncidentRecord, context: CommandContext) {
        let out = context.console.out
        out.line(context.style.bold(DiagnoseCommand.title(incident)))
        out.line("known pattern #\(pattern.id): \(pattern.name) — root-cause analysis skipped")
        out.line("   cause: \(pattern.cause)")
        // Two numbers, named apart: the cause's confidence combines the analyses that taught the pattern
        // with its playbook's record, so it reads higher than the playbook confidence alone.
        out.line("   confidence in the cause \(String(format: "%.0f%%", pattern.immunisedConfidence * 100)) → \(DiagnosisRendering.tierText(tier))"
                 + (pattern.remediation.map { "; playbook: \($0) (\(String(format: "%.0f%%", pattern.confidence * 100)) playbook confidence)" } ?? ""))
        out.line("   seen \(Plural.count(pattern.occurrences, "time")), \(pattern.successes) fixed, \(pattern.failures) failed; "
                 + "mean time to recover \(DurationText.format(pattern.meanRecoverySeconds.rounded()))")
        out.line()
    }
}
