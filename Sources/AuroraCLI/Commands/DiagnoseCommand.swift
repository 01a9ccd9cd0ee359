import AuroraCore
import AuroraOperations
import AuroraDiagnosis
import AuroraIngest
import AuroraStore
import Foundation

/// `aurora diagnose [ID…]` for stored incidents, or `aurora diagnose FILE… --at TIME` for a post-mortem.
enum DiagnoseCommand {
    static let spec = CommandSpec(
        "diagnose",
        summary: "find the root cause of incidents, with evidence and a confidence tier",
        discussion: """
        For stored incidents (all unresolved ones, or the given IDs): gathers the series around the incident \
        window, ranks the services most likely at the root (which series moved first, how much each moved \
        against the hour before, lagged correlation with the symptom, the service dependency graph from \
        `services:`), matches the known patterns (built in, plus diagnosis.pattern-directories), looks for \
        similar resolved incidents, optionally asks an AI for a hypothesis (diagnosis.llm), and gives each \
        candidate a calibrated confidence and what it allows: auto (above 90%), auto with monitoring (70–90%), \
        human approval (50–70%), or escalation; diagnosis.confidence-tiers moves these lines, for the \
        remediation decision of heal and watch as well. For a stored incident each cause is shown weighed by \
        how likely the incident is a real fault, as heal and watch decide (1 when a detection rule fired, \
        else its strongest anomaly's confidence; --json adds fault). The diagnosis is recorded on the incident. An incident \
        of series that stopped reporting (absent events) has no change to rank: it names the services that \
        went silent, with how many series, since when and whether they came back, and goes to a human.

        With --at or --window, FILE… are metric dumps of a known incident and are analysed directly, with \
        no stored state: a post-mortem on exported data.
        """,
        options: [
            .value("at", "TIME", kind: .time, "post-mortem: the incident started at this time (analyses the next 30 minutes)"),
            .value("window", "FROM..TO", "post-mortem: the incident window, two times joined by .."),
        ] + MetricInputs.options,
        arguments: [ArgumentSpec("TARGET", optional: true, variadic: true, completes: .incidents,
                                 "incident IDs (default: every unresolved incident), or metric dumps with --at/--window")],
        examples: [
            "aurora diagnose",
            "aurora diagnose 42 --json",
            "aurora diagnose export.csv --at 2026-11-28T14:05:00Z",
            "aurora diagnose dumps/ --window 2026-11-28T14:00Z..2026-11-28T14:30Z",
        ],
        handler: run)

    static func run(_ context: CommandContext) async throws -> ExitStatus {
        let arguments = context.arguments
        if arguments.value("at") != nil || arguments.value("window") != nil {
            return try await postMortem(context)
        }
        let ids = try arguments.positionals.map { text -> Int64 in
            guard let id = Int64(text), id > 0 else {
                throw UsageError("`\(text)` is not an incident ID (for metric dumps, give --at TIME or --window FROM..TO)")
            }
            return id
        }
        let store = try context.existingStore()
        let db = store.database
        let incidents: [IncidentRecord] = try db.read { db in
            if ids.isEmpty { return try IncidentStore.list(in: db, statuses: [.open, .diagnosed, .escalated]).reversed() }
            return try ids.map { id in
                guard let incident = try IncidentStore.get(id, in: db) else { throw SimpleFailure(.noInput, "no incident \(id)") }
                return incident
            }
        }
        if incidents.isEmpty {
            context.note("no unresolved incidents to diagnose")
            if context.json { context.console.out.line("[]") }
            return .success
        }
        let operations = try context.operations(existingStore: true)
        let diagnoser = try IncidentDiagnoser(context: operations, excluding: ids)
        let tiers = try operations.configuration.confidenceTiers
        var outputs: [(IncidentRecord, Diagnosis)] = []
        var immunised: [(IncidentRecord, Immunity)] = []
        for incident in incidents {
            switch try await diagnoser.diagnose(incident) {
            case .immunised(let immunity): immunised.append((incident, immunity))
            case .analysed(let diagnosis): outputs.append((incident, diagnosis))
            case .noData(let reason): context.note("incident \(incident.id): \(try noDataNote(incident, reason: reason, store: store))")
            }
        }
        if context.json {
            var items = try outputs.map { incident, diagnosis -> String in
                let reality = try IncidentFaultReality.of(incident.id, context: operations)
                let fault = JSONValue.object([("probability", reality.probability.map { .number(($0 * 1000).rounded() / 1000) } ?? .null),
                                              ("basis", .string(reality.basisName))])
                return "{\"incident\":\(incident.id),\"fault\":\(fault.rendered()),\"diagnosis\":\(try encode(diagnosis))}"
            }
            items += immunised.map { incident, immunity in
                "{\"incident\":\(incident.id),\"learned_pattern\":\(immunity.json.rendered())}"
            }
            context.console.out.line("[" + items.joined(separator: ",") + "]")
        } else {
            for (incident, immunity) in immunised { immunity.render(incident: incident, context: context) }
            for (incident, diagnosis) in outputs {
                let weighing = DiagnosisRendering.Weighing(reality: try IncidentFaultReality.of(incident.id, context: operations), tiers: tiers)
                DiagnosisRendering.render(diagnosis, title: title(incident), context: context, weighing: weighing,
                                          picture: context.console.out.isTerminal ? { try? sparkline($0, around: incident, store: store, mark: context.style.red) } : nil)
            }
            if let summary = summary(outputs, immunised: immunised) { context.console.out.line(summary) }
        }
        return .success
    }

    /// The last line: what the diagnoses come to, grouped, and what to do next — after a long report
    /// the reader should not have to scroll back to add it up.
    static func summary(_ outputs: [(IncidentRecord, Diagnosis)], immunised: [(IncidentRecord, Immunity)]) -> String? {
        let count = outputs.count + immunised.count
        guard count > 0 else { return nil }
        // Grouped by root and cause; the confidences of a group as a range.
        var groups: [(key: String, confidences: [Double])] = []
        func add(_ key: String, _ confidence: Double?) {
            if let index = groups.firstIndex(where: { $0.key == key }) {
                groups[index].confidences += confidence.map { [$0] } ?? []
            } else {
                groups.append((key, confidence.map { [$0] } ?? []))
            }
        }
        for (_, diagnosis) in outputs {
            // A silence's 0 is not a measurement: no confidence range for it.
            add(diagnosis.top.map { "\($0.service): \(causeText($0))" } ?? "no root cause found: escalate",
                diagnosis.top?.restsOnSilence == true ? nil : diagnosis.top?.confidence)
        }
        for (_, immunity) in immunised {
            add("\(immunity.pattern.rootService ?? "?"): \(immunity.pattern.cause) (known pattern)", immunity.pattern.immunisedConfidence)
        }
        let parts = groups.prefix(4).map { group -> String in
            let count = group.confidences.count > 1 ? "\(group.confidences.count) × " : ""
            guard let low = group.confidences.min(), let high = group.confidences.max() else { return count + group.key }
            let range = String(format: "%.0f%%", low * 100) + (high - low >= 0.005 ? String(format: "–%.0f%%", high * 100) : "")
            return "\(count)\(group.key) (\(range))"
        } + (groups.count > 4 ? ["…"] : [])
        let next: String
        if immunised.isEmpty, outputs.allSatisfy({ $0.1.top?.restsOnSilence == true }) {
            // No remediation is known for a silence: what a human does is find out why the series stopped.
            let id = count == 1 ? String(outputs[0].0.id) : "ID"
            next = "find out why the series stopped (is the target up, does its scrape answer?), then aurora incidents resolve \(id) --cause TEXT"
        } else {
            next = count == 1 ? "aurora heal --stored, or aurora remediate ACTION --service S --incident \((outputs.first?.0 ?? immunised.first!.0).id)"
                : "aurora heal --stored, or aurora report ID --html FILE for one incident"
        }
        return "summary: \(Plural.count(count, "incident")) diagnosed — \(parts.joined(separator: "; ")); next: \(next)"
    }

    static func causeText(_ candidate: RootCauseCandidate) -> String {
        let cause = candidate.pattern ?? candidate.cause
        return cause.hasSuffix(".") ? String(cause.dropLast()) : cause
    }

    /// "No series has points in the incident window or the history before it" is confusing when the
    /// file plainly has the point: say which is missing, the baseline before the incident or the points in it.
    static func noDataNote(_ incident: IncidentRecord, reason: String, store: Store) throws -> String {
        let keys = try store.database.read { db in Set(try AnomalyEventStore.events(incident: incident.id, in: db).map(\.seriesKey)) }
        let first = try store.database.read { db in
            try SeriesStore.list(in: db, where: { keys.contains($0.description) }).compactMap(\.first).min()
        }
        if let first, first >= incident.start {
            return "cannot be diagnosed: its series start at \(TimeText.iso(Date(unixMilliseconds: first))), with the incident, "
                + "so there is no baseline before it to compare with (diagnosis.history-window); try a post-mortem with more data: "
                + "aurora diagnose FILE --at \(TimeText.iso(Date(unixMilliseconds: incident.start)))"
        }
        return reason
    }

    /// The top candidate's series around the incident, as a sparkline (terminal only).
    static func sparkline(_ candidate: RootCauseCandidate, around incident: IncidentRecord, store: Store,
                          mark: (String) -> String) throws -> String? {
        guard let key = candidate.seriesKey else { return nil }
        let margin = max(30 * 60_000, (incident.end - incident.start) * 2)
        let series = try store.database.read { db -> Series? in
            guard let stored = try SeriesStore.list(in: db, where: { $0 == key }).first else { return nil }
            return try SeriesStore.load(stored, from: incident.start - margin, to: incident.end + margin, in: db)
        }
        guard let series, !series.timestamps.isEmpty else { return nil }
        let first = series.timestamps.firstIndex { $0 >= incident.start } ?? 0
        let last = series.timestamps.lastIndex { $0 <= incident.end } ?? first
        return Sparkline.render(series.values, width: 32, highlight: first..<(last + 1), mark: mark)
    }

    /// `incident 3 — checkout and payments`, `incident 3 — api, db, web and 97 more` (the candidates below
    /// name the services that matter), or `incident 3 — service unknown` when no event named one.
    static func title(_ incident: IncidentRecord) -> String {
        "incident \(incident.id) — " + servicesLine(incident.services)
    }

    /// An incident's services in a line: the first three and how many more, or `service unknown` when no
    /// event named one (series without a service label make an incident of the empty service).
    static func servicesLine(_ services: [String]) -> String {
        let named = services.filter { !$0.isEmpty }
        return named.isEmpty ? "service unknown" : NameList.text(named)
    }

    /// A diagnosis as stored and printed with `--json` (one encoding, the operation's).
    static func encode(_ diagnosis: Diagnosis) throws -> String { try IncidentDiagnoser.encode(diagnosis) }

    static func postMortem(_ context: CommandContext) async throws -> ExitStatus {
        let arguments = context.arguments
        guard !arguments.positionals.isEmpty else { throw UsageError("a post-mortem needs metric dumps: aurora diagnose FILE… --at TIME") }
        let now = context.clock.now()
        let options = try MetricInputs.ingestOptions(context)
        let result = try ingest(try MetricInputs.sources(arguments.positionals, context: context), options: options)
        MetricInputs.notes(for: result.report, context: context)
        ProgressLine.clear(context)
        let configuration = try context.configuration()
        let historyWindow = Int64(try configuration.seconds("diagnosis.history-window") * 1000)
        let analyzer = RootCauseAnalyzer(patterns: try AnalyzerFactory.patterns(configuration, resolve: context.path),
                                         graph: AnalyzerFactory.graph(configuration), options: try AnalyzerFactory.options(configuration))
        let diagnosis: Diagnosis
        if let text = arguments.value("window") {
            let parts = text.components(separatedBy: "..")
            guard parts.count == 2, let from = TimeArgument.parse(parts[0], now: now), let to = TimeArgument.parse(parts[1], now: now) else {
                throw UsageError("--window: `\(text)` is not FROM..TO (two times joined by ..)")
            }
            guard from < to else { throw UsageError("--window: the start must be before the end") }
            diagnosis = try PostMortem(analyzer: analyzer).analyze(result.series, from: from.unixMilliseconds, to: to.unixMilliseconds, history: historyWindow)
        } else {
            let at = try arguments.time("at", now: now) ?? now
            diagnosis = try PostMortem(analyzer: analyzer).analyze(result.series, at: at.unixMilliseconds, history: historyWindow)
        }
        if context.json {
            context.console.out.line(try encode(diagnosis))
        } else {
            DiagnosisRendering.render(diagnosis, title: "post-mortem of \(result.series.count) series", context: context)
        }
        return .success
    }
}

/// A diagnosis for people: ranked candidates with their evidence, then the service ranking.
enum DiagnosisRendering {
    /// For a stored incident: how likely it is a real fault, which the loop weighs each cause by before acting.
    struct Weighing {
        var reality: FaultReality
        var tiers: ConfidenceTiers
    }

    /// `weighing` is nil for a post-mortem: the person who named the incident's time vouches for the fault.
    static func render(_ diagnosis: Diagnosis, title: String, context: CommandContext, weighing: Weighing? = nil,
                       picture: ((RootCauseCandidate) -> String?)? = nil) {
        let out = context.console.out
        let style = context.style
        out.line(style.bold(title))
        out.line("window \(TimeText.iso(Date(unixMilliseconds: diagnosis.window.start))) – \(TimeText.iso(Date(unixMilliseconds: diagnosis.window.end)))")
        if diagnosis.candidates.isEmpty { out.line("no root-cause candidate: escalate to a human") }
        for candidate in diagnosis.candidates {
            let confidence = String(format: "%.0f%%", candidate.confidence * 100)
            // A series that stands for itself (a file named after it, no service) is not named twice.
            let metric = candidate.metric.flatMap { $0 == candidate.service ? nil : " (\($0))" } ?? ""
            out.line()
            out.line(style.bold("#\(candidate.rank) \(candidate.service)\(metric)") + ": \(candidate.cause)")
            // A silence has no change to measure: its 0 is not a measurement, and a sparkline of the values
            // around it would hide the gap (it draws points, not time).
            let decision: String
            if let weighing, !candidate.restsOnSilence {
                // What heal and watch decide on: the cause's confidence times the fault's reality.
                let acting = weighing.reality.acting(on: candidate.confidence, tiers: weighing.tiers)
                decision = "confidence in the cause \(confidence), fault \(weighing.reality.text) → "
                    + weighing.reality.describe(acting: acting, cause: candidate.confidence) + ": \(tierText(weighing.tiers.tier(for: acting)))"
            } else {
                decision = "confidence \(candidate.restsOnSilence ? "not measured (no points to measure)" : confidence) → \(tierText(candidate.tier))"
            }
            out.line("   " + decision
                     + (candidate.remediation.map { "; recommended: \($0)" + (candidate.risk.map { " (\($0.rawValue) risk)" } ?? "") } ?? ""))
            if candidate.rank == 1, !candidate.restsOnSilence, let line = picture?(candidate) {
                out.line("   \(line)  \(candidate.seriesKey?.description ?? "") around the incident")
            }
            for evidence in candidate.evidence { out.line("   - \(evidence.text)") }
        }
        if diagnosis.services.count > 1 {
            out.line()
            out.line(style.bold("Services, most likely origin first"))
            for (index, service) in diagnosis.services.prefix(5).enumerated() {
                out.line("  \(index + 1). \(service.service)  score \(String(format: "%.2f", service.score))  changed series \(service.changedSeries)")
            }
        }
        for note in diagnosis.notes { context.note("note: \(note)") }
        out.line()
    }

    static func tierText(_ tier: ConfidenceTier) -> String {
        switch tier {
        case .autoExecute: return "auto-execute"
        case .autoWithMonitoring: return "auto-execute with monitoring"
        case .approval: return "needs human approval"
        case .escalate: return "escalate to a human"
        }
    }
}
