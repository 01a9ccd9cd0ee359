import AuroraCore
import AuroraOperations
import AuroraStore
import Foundation

/// `aurora incidents list|show|resolve|reopen|mark`.
enum IncidentsCommand {
    static let idArgument = ArgumentSpec("ID", kind: .integer, completes: .incidents, "the incident number")

    static let spec = CommandSpec(
        "incidents",
        summary: "list, inspect, resolve and give feedback on incidents",
        discussion: """
        Anomaly events that overlap in time (within diagnosis.incident-gap) are grouped into one incident, \
        with a status (open, diagnosed, remediating, resolved, escalated), the services and series involved, \
        and a timeline of everything that happened to it.
        """,
        subcommands: [
            CommandSpec("list", summary: "list incidents, newest first",
                        options: [
                            .value("status", "STATUS", kind: .choice(IncidentStatus.allCases.map(\.rawValue)), repeatable: true,
                                   "only incidents in this status"),
                            .flag("all", short: "a", "include resolved incidents (default: only unresolved)"),
                        ],
                        examples: ["aurora incidents list", "aurora incidents list --all --json"], handler: list),
            CommandSpec("show", summary: "show an incident: services, diagnosis, remediations, anomalies and timeline",
                        options: [.flag("all", short: "a", "list every anomaly and timeline entry (default: the first and last \(Self.shownAtEachEnd) of each)")],
                        arguments: [idArgument], examples: ["aurora incidents show 42", "aurora incidents show 42 --all"], handler: show),
            CommandSpec("resolve", summary: "mark an incident resolved",
                        options: [
                            .value("cause", "TEXT", "the confirmed root cause"),
                            .value("note", "TEXT", "a note for the timeline"),
                            .value("actor", "NAME", env: "AURORA_ACTOR", "who is acting (default: $USER)"),
                        ],
                        arguments: [idArgument],
                        examples: ["aurora incidents resolve 42 --cause 'connection pool exhausted'"], handler: resolve),
            CommandSpec("reopen", summary: "reopen a resolved incident",
                        options: [.value("actor", "NAME", env: "AURORA_ACTOR", "who is acting (default: $USER)")],
                        arguments: [idArgument], handler: reopen),
            CommandSpec("mark", summary: "give feedback on an incident (false positive)",
                        options: [
                            .flag("false-positive", "the anomalies were not a real problem (feeds the precision SLO)"),
                            .flag("not-false-positive", "remove a false-positive mark"),
                            .value("actor", "NAME", env: "AURORA_ACTOR", "who is acting (default: $USER)"),
                        ],
                        arguments: [idArgument], examples: ["aurora incidents mark 42 --false-positive"], handler: mark),
        ])

    static func incidentID(_ context: CommandContext) throws -> Int64 {
        guard let id = Int64(context.arguments.positionals[0]), id > 0 else {
            throw UsageError("ID: `\(context.arguments.positionals[0])` is not an incident number")
        }
        return id
    }

    static func existing(_ id: Int64, in db: Database) throws -> IncidentRecord { try IncidentActions.existing(id, in: db) }

    /// `resolution`: how a resolved incident was resolved (its latest resolution's message), for the JSON.
    static func json(_ incident: IncidentRecord, resolution: (message: String, recovered: Bool)? = nil) -> JSONValue {
        .object([
            ("id", .integer(incident.id)), ("status", .string(incident.status.rawValue)),
            ("services", .array(incident.services.map { .string($0) })),
            ("start", .time(Date(unixMilliseconds: incident.start))), ("end", .time(Date(unixMilliseconds: incident.end))),
            ("opened", .time(incident.opened)), ("resolved", .time(incident.resolved)),
            ("cause", .optional(incident.cause)), ("note", .optional(incident.note)),
            ("false_positive", .bool(incident.falsePositive)),
            ("confidence", incident.confidence.map { .number($0) } ?? .null),
            ("confidence_measured", incident.confidence == nil ? .null : .bool(confidenceMeasured(incident))),
            ("tier", .optional(incident.tier?.rawValue)),
            ("pattern", .optional(incident.pattern)), ("remediation", .optional(incident.remediation)),
            ("resolution", .optional(incident.status == .resolved ? resolution?.message : nil)),
            ("recovered_without_action", .bool(incident.status == .resolved && resolution?.recovered == true)),
        ])
    }

    static func list(_ context: CommandContext) async throws -> ExitStatus {
        let store = try context.existingStore()
        var statuses = context.arguments.list("status").compactMap(IncidentStatus.init(rawValue:))
        if statuses.isEmpty && !context.arguments.flag("all") {
            statuses = IncidentStatus.allCases.filter { $0 != .resolved }
        }
        let incidents = try IncidentStore.list(in: store.database, statuses: statuses)
        let resolutions = try store.database.read { db in
            try IncidentStore.resolutions(of: incidents.filter { $0.status == .resolved }.map(\.id), in: db)
        }
        if context.json {
            context.console.out.line(JSONValue.array(incidents.map { json($0, resolution: resolutions[$0.id]) }).rendered())
            return .success
        }
        if incidents.isEmpty {
            context.note(context.arguments.flag("all") ? "no incidents" : "no unresolved incidents (--all shows resolved ones)")
            return .success
        }
        var table = TableRenderer(["ID", "STATUS", "SERVICES", "STARTED", "CAUSE", "CONFIDENCE"])
        for incident in incidents {
            let recovered = incident.status == .resolved && resolutions[incident.id]?.recovered == true
            table.add([String(incident.id), incident.status.rawValue + (recovered ? " (recovered)" : "") + (incident.falsePositive ? " (false positive)" : ""),
                       servicesText(incident, separator: ","), TimeText.iso(Date(unixMilliseconds: incident.start)),
                       incident.cause ?? "-",
                       incident.confidence.map { confidenceMeasured(incident) ? String(format: "%.0f%%", $0 * 100) : "not measured" } ?? "-"])
        }
        context.console.out.write(table.render(style: context.style))
        return .success
    }

    static func show(_ context: CommandContext) async throws -> ExitStatus {
        let store = try context.existingStore()
        let id = try incidentID(context)
        let (incident, events, timeline, remediations, resolution) = try store.database.read { db in
            (try existing(id, in: db), try IncidentStore.events(of: id, in: db), try IncidentStore.timeline(id, in: db),
             try RemediationStore.list(incident: String(id), in: db), try IncidentStore.resolutions(of: [id], in: db)[id])
        }
        // How likely it is a real fault, which the loop weighs its cause by before acting.
        let operations = try context.operations(existingStore: true)
        let reality = IncidentFaultReality.of(events, configuration: operations.configuration)
        if context.json {
            guard case .object(var pairs) = json(incident, resolution: resolution) else { return .software }
            pairs.append(("anomalies", .array(events.map { event in
                .object([("series", .string(event.seriesKey)), ("start", .time(Date(unixMilliseconds: event.start))),
                         ("end", .time(Date(unixMilliseconds: event.end))), ("peak_value", .number(event.peakValue)),
                         ("score", .number(event.score)), ("detectors", .string(event.detectors)),
                         ("history_points", event.historyPoints.map { .integer(Int64($0)) } ?? .null),
                         ("short_history", .bool(event.shortHistory)),
                         ("confidence", event.confidence.map { .number(EventRendering.rounded($0)) } ?? .null)])
            })))
            pairs.append(("timeline", .array(timeline.map { entry in
                .object([("at", .time(entry.at)), ("kind", .string(entry.kind)), ("message", .string(entry.message))])
            })))
            pairs.append(("fault", .object([("probability", reality.probability.map { .number(EventRendering.rounded($0)) } ?? .null),
                                             ("basis", .string(reality.basisName))])))
            pairs.append(("remediations", .array(remediations.map(RemediationOutput.json))))
            if let diagnosis = incident.diagnosis { pairs.append(("diagnosis_text", .string(diagnosis))) }
            context.console.out.line(JSONValue.object(pairs).rendered())
            return .success
        }
        let out = context.console.out
        let style = context.style
        out.line(style.bold("incident \(incident.id)") + "  \(incident.status.rawValue)" + (incident.falsePositive ? " (false positive)" : ""))
        out.line("services   \(servicesText(incident, separator: ", "))")
        out.line("window     \(TimeText.iso(Date(unixMilliseconds: incident.start))) – \(TimeText.iso(Date(unixMilliseconds: incident.end)))")
        if let cause = incident.cause { out.line("cause      \(cause)") }
        if incident.status == .resolved, let resolution { out.line("resolution \(resolution.message)") }
        let silent = !events.isEmpty && events.allSatisfy { $0.detectors == AbsenceStore.detector }
        if let confidence = incident.confidence {
            // Series that stopped reporting have no change to measure: their diagnosis' 0 is not a measurement
            // (a diagnosis stored before it said so itself is known by its events).
            let unmeasured = !confidenceMeasured(incident) || (silent && confidence == 0)
            let measured = unmeasured ? "not measured: its series stopped reporting" : String(format: "%.0f%%", confidence * 100)
            if unmeasured || StoredDiagnosis(incident.diagnosis).viaLearnedPattern {
                out.line("confidence \(measured)" + (incident.tier.map { " (\($0.rawValue))" } ?? ""))
            } else {
                // The stored tier is the loop's decision, which the fault line explains (a learned pattern's
                // match is decided on its own confidence, above).
                let tiers = try operations.configuration.confidenceTiers
                let acting = reality.acting(on: confidence, tiers: tiers)
                out.line("confidence \(measured) in the cause")
                out.line("fault      \(reality.text) → acting on \(reality.describe(acting: acting, cause: confidence)): \(tiers.tier(for: acting).rawValue)")
            }
        } else if reality.basis != .unmeasured {
            out.line("fault      \(reality.text)")
        }
        if !events.isEmpty, events.allSatisfy(\.shortHistory) {
            out.line("history    short: every anomaly came from series with less history than the detector remembers (weigh it as a lead)")
        }
        if let remediation = incident.remediation { out.line("remediation \(remediation)") }
        if let note = incident.note { out.line("note       \(note)") }
        out.line()
        if !remediations.isEmpty {
            // What was decided for it, refusals included: a kill switch, a cooldown, a fault no longer seen.
            out.line(style.bold("Remediations"))
            for row in remediations { out.line(remediationLine(row)) }
            out.line()
        }
        let every = context.arguments.flag("all")
        out.line(style.bold("Anomalies"))
        Self.list(events, every: every, noun: "anomalies", out: out) { event in
            // An absent-data event has no peak: what it stands for is in its source (how many series left).
            guard event.detectors != AbsenceStore.detector else {
                return "  \(event.seriesKey)  \(TimeText.iso(Date(unixMilliseconds: event.start)))  \(event.source)  [\(event.detectors)]"
            }
            return "  \(event.seriesKey)  \(TimeText.iso(Date(unixMilliseconds: event.start)))  peak \(EventRendering.short(event.peakValue))  score \(String(format: "%.2f", event.score))"
                + (event.confidence.map { "  confidence \(String(format: "%.0f%%", $0 * 100))" } ?? "") + "  [\(event.detectors)]"
                + (event.shortHistory ? "  short history (\(event.historyPoints.map(String.init) ?? "?") points)" : "")
        }
        out.line()
        out.line(style.bold("Timeline"))
        Self.list(timeline, every: every, noun: "timeline entries", out: out) { entry in
            "  \(TimeText.iso(entry.at))  \(entry.kind.padding(toLength: 11, withPad: " ", startingAt: 0)) \(entry.message)"
        }
        return .success
    }

    /// One remediation of an incident: when, what on which service, its state, the rule and its reason.
    static func remediationLine(_ row: RemediationRecord) -> String {
        "  \(row.id)  \(TimeText.iso(row.createdAt))  \(row.action) on \(row.service)  \(row.state.rawValue) (\(row.rule)): \(row.reason)"
            + (row.evaluatedAt.map { "  [asked again, same decision, last at \(TimeText.iso($0))]" } ?? "")
    }

    /// Lines listed at each end of a long list by `incidents show` without --all: a target that stopped
    /// answering can put thousands of anomalies in one incident, and a screenful says what they are.
    static let shownAtEachEnd = 25

    /// Lists `items` with `line`: all of them when `every` or few, else the first and last
    /// `shownAtEachEnd`, with one line in between for those left out.
    static func list<Item>(_ items: [Item], every: Bool, noun: String, out: OutputStream, line: (Item) -> String) {
        let keep = shownAtEachEnd
        guard !every, items.count > 2 * keep + 1 else {
            for item in items { out.line(line(item)) }
            return
        }
        for item in items.prefix(keep) { out.line(line(item)) }
        out.line("  … \(items.count - 2 * keep) more \(noun) (--all lists every one)")
        for item in items.suffix(keep) { out.line(line(item)) }
    }

    static func resolve(_ context: CommandContext) async throws -> ExitStatus {
        let id = try incidentID(context)
        let changed = try IncidentActions.resolve(id, cause: context.arguments.value("cause"), note: context.arguments.value("note"),
                                                  context: try context.operations(existingStore: true))
        guard changed else { throw SimpleFailure(.dataError, "incident \(id) is already resolved") }
        context.console.out.line(context.json ? #"{"id":\#(id),"status":"resolved"}"# : "incident \(id) resolved")
        return .success
    }

    static func reopen(_ context: CommandContext) async throws -> ExitStatus {
        let id = try incidentID(context)
        guard try IncidentActions.reopen(id, context: try context.operations(existingStore: true)) else {
            throw SimpleFailure(.dataError, "incident \(id) is not resolved")
        }
        context.console.out.line(context.json ? #"{"id":\#(id),"status":"open"}"# : "incident \(id) reopened")
        return .success
    }

    static func mark(_ context: CommandContext) async throws -> ExitStatus {
        let falsePositive = context.arguments.flag("false-positive")
        let notFalsePositive = context.arguments.flag("not-false-positive")
        guard falsePositive != notFalsePositive else {
            throw UsageError("give one of --false-positive or --not-false-positive")
        }
        let id = try incidentID(context)
        try IncidentActions.mark(id, falsePositive: falsePositive, context: try context.operations(existingStore: true))
        context.console.out.line(context.json ? #"{"id":\#(id),"false_positive":\#(falsePositive)}"#
                                 : "incident \(id) marked \(falsePositive ? "a false positive" : "not a false positive")")
        return .success
    }

    /// Whether the stored diagnosis' confidence is a measurement (false when its top candidate rests on
    /// series that stopped reporting).
    static func confidenceMeasured(_ incident: IncidentRecord) -> Bool { StoredDiagnosis(incident.diagnosis).topConfidenceMeasured }

    /// The incident's services, or "unknown" when no event named one (a file named after its series).
    static func servicesText(_ incident: IncidentRecord, separator: String) -> String {
        let services = incident.services.filter { !$0.isEmpty }
        return services.isEmpty ? "unknown" : services.joined(separator: separator)
    }
}
