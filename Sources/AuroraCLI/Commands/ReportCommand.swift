import AuroraCore
import Foundation

/// `aurora report INCIDENT --html FILE`: one incident as a self-contained web page.
enum ReportCommand {
    static let spec = CommandSpec(
        "report",
        summary: "write one incident as a self-contained HTML page (charts, causes, decision, timeline)",
        discussion: """
        Writes a single HTML file for the incident: each anomalous series around the incident drawn as an \
        inline SVG chart with its expected range and its anomalous points, the ranked causes with their \
        evidence, each remediation with its decision, what it ran and how it ended, and the timeline. The \
        page loads nothing from the network and needs no other file: attach it to a ticket or open it in \
        any browser. FILE - writes it to standard output.
        """,
        options: [.value("html", "FILE", kind: .file, "where to write the page (required; - for standard output)")],
        arguments: [ArgumentSpec("INCIDENT", kind: .integer, completes: .incidents, "the incident number")],
        examples: ["aurora report 1 --html incident-1.html", "aurora report 3 --html - | gzip > incident-3.html.gz"],
        handler: run)

    static func run(_ context: CommandContext) async throws -> ExitStatus {
        guard let target = context.arguments.value("html") else {
            throw UsageError("aurora report needs --html FILE (the page is the report's only format), e.g. `aurora report 1 --html incident-1.html`")
        }
        guard let text = context.arguments.positionals.first, let id = Int64(text), id > 0 else {
            throw UsageError("INCIDENT: `\(context.arguments.positionals.first ?? "")` is not an incident number (see `aurora incidents list`)")
        }
        let report = try IncidentReport.load(id, store: try context.existingStore(), now: context.clock.now())
        let page = IncidentReportHTML.render(report)
        if target == "-" {
            context.console.out.write(page)
            return .success
        }
        let path = context.path(target)
        guard FileManager.default.createFile(atPath: path, contents: Data(page.utf8)) else {
            throw SimpleFailure(.cannotCreate, "\(path): cannot write the report (check the folder exists and is writable)")
        }
        context.note("wrote \(path): incident \(id), \(report.charts.count) chart\(report.charts.count == 1 ? "" : "s"), "
                     + "\(report.candidates.count) candidate cause\(report.candidates.count == 1 ? "" : "s"); open it in a browser")
        return .success
    }
}
