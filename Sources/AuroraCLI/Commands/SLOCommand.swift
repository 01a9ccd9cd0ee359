import AuroraConfig
import AuroraCore
import AuroraLearning
import AuroraOperations
import AuroraStore
import Foundation

/// `aurora slo`: the self-healing loop's service-level objectives, measured from the database.
enum SLOCommand {
    static let spec = CommandSpec(
        "slo",
        summary: "report MTTR, detection latency, precision, auto-resolution and rollback rate against their targets",
        discussion: """
        Every figure is measured in the data's own time, so a dump analysed months later reads as it \
        happened. MTTR: from an incident's first anomalous point to the evidence it was resolved (its last \
        anomalous point, or its resolution while the data is live), over resolved incidents that were not false positives. Detection latency: from an \
        anomaly's first point to the point of the data at which aurora detected it. \
        Precision: the share of incidents not marked false positives (`aurora incidents mark`). \
        Auto-resolution: the share of resolved incidents resolved by a verified remediation without a human. \
        An incident that recovered without action (diagnosis.recovered-after) counts in precision but in neither \
        MTTR nor auto-resolution (nothing was restored); their number is shown apart. \
        Rollback rate: the share of executed remediations that were rolled back. Each has its target from the \
        `slo:` configuration, the measured value and the sample size; known-pattern (immunised) and \
        new-pattern incidents are also shown apart.
        """,
        options: [
            .value("since", "TIME", kind: .time, "only incidents that started at or after this time"),
            .value("service", short: "s", "SERVICE", "only incidents involving this service"),
            .flag("exit-code", short: "e", "exit 1 when any objective is missed"),
        ],
        examples: ["aurora slo", "aurora slo --since -7d --service checkout --json", "aurora slo --exit-code || notify"],
        handler: run)

    static func run(_ context: CommandContext) async throws -> ExitStatus {
        let operations = try context.operations(existingStore: true)
        let since = try context.arguments.time("since", now: context.clock.now())?.unixMilliseconds ?? Int64.min
        let (report, kinds, recovered) = try ServiceLevels.measure(since: since, service: context.arguments.value("service"), context: operations)
        if context.json {
            context.console.out.line(JSONValue.object([
                ("objectives", .array(report.map { level in
                    .object([("name", .string(level.name)), ("unit", .string(level.unit)), ("target", .number(level.target)),
                             ("comparison", .string(level.comparison.rawValue)),
                             ("value", level.value.map { .number(($0 * 1000).rounded() / 1000) } ?? .null),
                             ("samples", .integer(Int64(level.samples))), ("passes", .bool(level.passes))])
                })),
                ("mttr_known_pattern_seconds", kinds.known.map { .number($0.rounded()) } ?? .null),
                ("mttr_new_pattern_seconds", kinds.new.map { .number($0.rounded()) } ?? .null),
                ("recovered_without_action", .integer(Int64(recovered))),
                ("clock", .string("data")),
            ]).rendered())
        } else {
            var table = TableRenderer(["OBJECTIVE", "TARGET", "MEASURED", "SAMPLES", "STATUS"])
            for level in report {
                let status = level.value == nil ? "no data" : (level.passes ? "pass" : "FAIL")
                table.add([level.name, (level.comparison == .below ? "< " : "> ") + format(level.target, unit: level.unit),
                           level.value.map { format($0, unit: level.unit) } ?? "-", String(level.samples),
                           level.passes ? (level.value == nil ? status : context.style.green(status)) : context.style.red(status)])
            }
            context.console.out.write(table.render(style: context.style))
            context.console.out.line()
            context.console.out.line("MTTR by kind: known patterns \(kinds.known.map { format($0, unit: "s") } ?? "-"), "
                                     + "new patterns \(kinds.new.map { format($0, unit: "s") } ?? "-")")
            if recovered > 0 {
                context.console.out.line("recovered without action: \(Plural.count(recovered, "incident")) (diagnosis.recovered-after), "
                                         + "counted in precision, not in MTTR or auto-resolution: nothing was restored")
            }
            context.console.out.line("clock: the data's own timestamps (from an incident's first anomalous point to its detection, and to its resolution — over a dump, its last anomalous point)")
        }
        let failed = report.contains { !$0.passes }
        return context.arguments.flag("exit-code") && failed ? .findings : .success
    }

    static func format(_ value: Double, unit: String) -> String {
        unit == "s" ? DurationText.format(value.rounded()) : String(format: "%.1f%%", value * 100)
    }
}
