import AuroraCore
import Foundation
@testable import AuroraDiagnosis
import Testing

/// Small hand-made series: 10 s steps, a noise pattern that repeats, optional step change.
func makeSeries(
    _ name: String, service: String? = nil, points: Int = 400, level: Double = 100, noise: Double = 1,
    changeAt: Int? = nil, change: Double = 0, seed: UInt64 = 1
) -> Series {
    var random = Xoshiro256(seed: seed &+ fnv1a64(name + (service ?? "")))
    var series = Series(key: SeriesKey(name: name, labels: service.map { [Label("service", $0)] } ?? []))
    for index in 0..<points {
        var value = level + noise * random.nextNormal()
        if let changeAt, index >= changeAt { value += change }
        series.append(timestamp: 1_700_000_000_000 + Int64(index) * 10_000, value: value)
    }
    return series
}

let windowStart: Int64 = 1_700_000_000_000 + 300 * 10_000
let windowEnd: Int64 = 1_700_000_000_000 + 399 * 10_000

@Suite("evidence")
struct EvidenceTests {
    @Test func roleAndServiceFromNames() {
        #expect(MetricRole.classify("latency_p99") == .latency)
        #expect(MetricRole.classify("http_errors_total") == .errors)
        #expect(MetricRole.classify("container_cpu_usage") == .cpu)
        #expect(MetricRole.classify("mem") == .memory)
        #expect(MetricRole.classify("db_pool_saturation") == .saturation)
        #expect(MetricRole.classify("rps") == .load)
        #expect(MetricRole.classify("disk_used_ratio") == .disk)
        let wide = SeriesIdentity(SeriesKey(name: "redis-cart_mem"))
        #expect(wide.service == "redis-cart" && wide.metric == "mem" && wide.role == .memory)
        let long = SeriesIdentity(SeriesKey(name: "latency", labels: [Label("service", "checkout")]))
        #expect(long.service == "checkout" && long.role == .latency)
    }

    @Test func stepChangeHasMagnitudeDirectionAndOnset() throws {
        let window = try IncidentWindow(start: windowStart, end: windowEnd, history: 3_000_000)
        let changes = ChangeScanner().scan([
            makeSeries("up", changeAt: 310, change: 20),
            makeSeries("down", changeAt: 300, change: -20),
            makeSeries("flat"),
        ], window: window)
        #expect(changes.count == 3)
        #expect(changes[0].direction == .up && changes[0].magnitude > 10)
        let expectedOnset: Int64 = 1_700_000_000_000 + 310 * 10_000
        #expect(changes[0].onset == expectedOnset)
        #expect(changes[1].direction == .down && changes[1].magnitude > 10)
        #expect(changes[2].magnitude < 4)
        #expect(changes[2].onset == nil || changes[2].magnitude < 4)
    }

    @Test func shortSpikeIsNotSustained() throws {
        var spiky = makeSeries("spiky")
        for index in 320..<323 { spiky.values[index] += 50 }
        let window = try IncidentWindow(start: windowStart, end: windowEnd, history: 3_000_000)
        let change = try #require(ChangeScanner().scan([spiky], window: window).first)
        #expect(change.peak > 20)
        #expect(change.magnitude < 4)
    }

    @Test func missingValuesAndShortHistoryAreHandled() throws {
        var gappy = makeSeries("gappy", changeAt: 300, change: 10)
        for index in stride(from: 0, to: 400, by: 7) { gappy.values[index] = .nan }
        let window = try IncidentWindow(start: windowStart, end: windowEnd, history: 3_000_000)
        let short = makeSeries("short", points: 303)
        let late = Series(key: SeriesKey(name: "late"), timestamps: [windowStart], values: [1])
        let changes = ChangeScanner().scan([gappy, short, late], window: window)
        #expect(changes.count == 2)
        #expect(changes[0].magnitude > 5)
        #expect(throws: DiagnosisError.noData) {
            try RootCauseAnalyzer(patterns: []).analyze([late], window: window)
        }
    }

    @Test func laggedCorrelationFindsTheLead() {
        var source = Series(key: SeriesKey(name: "source"))
        var follower = Series(key: SeriesKey(name: "follower"))
        var random = Xoshiro256(seed: 3)
        var values: [Double] = []
        for _ in 0..<200 { values.append(random.nextNormal()) }
        for index in 0..<200 {
            source.append(timestamp: Int64(index) * 1000, value: values[index])
            follower.append(timestamp: Int64(index) * 1000, value: index >= 3 ? values[index - 3] : 0)
        }
        let best = LaggedCorrelation.best(candidate: source, symptom: follower, from: 0, to: 199_000, maxLag: 8)
        #expect(best?.lag == 3)
        #expect((best?.coefficient ?? 0) > 0.95)
    }

    @Test func graphTracesLatencyToTheCalleeThatMovedFirst() throws {
        // frontend → checkout → payments; payments slows first, the others follow later.
        let series = [
            makeSeries("latency", service: "frontend", changeAt: 303, change: 30),
            makeSeries("latency", service: "checkout", changeAt: 302, change: 40),
            makeSeries("latency", service: "payments", changeAt: 300, change: 25),
            makeSeries("cpu", service: "payments"),
            makeSeries("cpu", service: "checkout"),
        ]
        let window = try IncidentWindow(start: windowStart, end: windowEnd, history: 3_000_000)
        let graph = ServiceGraph(dependsOn: ["frontend": ["checkout"], "checkout": ["payments"]])
        let diagnosis = try RootCauseAnalyzer(patterns: try PatternLibrary.builtIn(), graph: graph).analyze(series, window: window)
        #expect(diagnosis.top?.service == "payments")
        #expect(diagnosis.top?.pattern == "dependency slow")
        let checkout = try #require(diagnosis.candidates.first { $0.service == "checkout" })
        #expect(checkout.evidence.contains { $0.source == .dependency && $0.text.contains("payments") })
        // Without the graph, onset order alone still points at payments (it moved strictly first) …
        let blind = try RootCauseAnalyzer(patterns: []).analyze(series, window: window)
        #expect(blind.top?.service == "payments")
        // … but when everything moves in the same step only the graph can tell; the largest change wins.
        let together = [
            makeSeries("latency", service: "checkout", changeAt: 300, change: 40),
            makeSeries("latency", service: "payments", changeAt: 300, change: 25),
        ]
        #expect(try RootCauseAnalyzer(patterns: []).analyze(together, window: window).top?.service == "checkout")
        #expect(try RootCauseAnalyzer(patterns: [], graph: graph).analyze(together, window: window).top?.service == "payments")
    }

    @Test func missingSeriesAreInferredFromTheNeighbours() throws {
        // db has no latency series; both of its callers slow down at once: one unseen cause.
        let series = [
            makeSeries("latency", service: "api", changeAt: 301, change: 30),
            makeSeries("latency", service: "worker", changeAt: 301, change: 30),
            makeSeries("cpu", service: "db"),
        ]
        let window = try IncidentWindow(start: windowStart, end: windowEnd, history: 3_000_000)
        let graph = ServiceGraph(dependsOn: ["api": ["db"], "worker": ["db"]])
        let diagnosis = try RootCauseAnalyzer(patterns: try PatternLibrary.builtIn(), graph: graph).analyze(series, window: window)
        #expect(diagnosis.top?.service == "db")
        #expect(diagnosis.top?.pattern == "dependency slow")
        #expect(diagnosis.top?.evidence.contains { $0.text.contains("no latency series for db") } == true)
        #expect(diagnosis.top?.seriesKey == nil)
        // The result encodes to JSON even with the inferred change's unknown level.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(diagnosis), as: UTF8.self)
        #expect(json.contains("\"service\":\"db\""))
        #expect(json.contains("\"tier\":"))
    }

    @Test func loadTravelsDownAndExplainsResourceChanges() throws {
        let series = [
            makeSeries("load", service: "gateway", changeAt: 300, change: 50),
            makeSeries("load", service: "api", changeAt: 300, change: 80),
            makeSeries("cpu", service: "api", changeAt: 301, change: 30),
            makeSeries("cpu", service: "gateway", changeAt: 301, change: 10),
        ]
        let window = try IncidentWindow(start: windowStart, end: windowEnd, history: 3_000_000)
        let graph = ServiceGraph(dependsOn: ["gateway": ["api"]])
        let diagnosis = try RootCauseAnalyzer(patterns: try PatternLibrary.builtIn(), graph: graph).analyze(series, window: window)
        #expect(diagnosis.top?.service == "gateway")
        #expect(diagnosis.top?.pattern == "traffic surge")
    }

    @Test func historyFindsSimilarIncidents() {
        let symptom = IncidentSymptom(service: "db", role: .saturation, direction: .up)
        let other = IncidentSymptom(service: "api", role: .latency, direction: .up)
        let past = [
            PastIncident(id: "INC-1", symptoms: [symptom, other], rootService: "db", cause: "pool exhausted",
                         pattern: "connection-pool exhaustion", remediation: "restart-service", outcome: .resolved),
            PastIncident(id: "INC-2", symptoms: [IncidentSymptom(service: "web", role: .cpu, direction: .up)],
                         rootService: "web", cause: "cpu"),
        ]
        let matches = HistoryMatcher(incidents: past).similar(to: [symptom, other])
        #expect(matches.map(\.incident.id) == ["INC-1"])
        #expect(matches.first?.similarity == 1)
    }

    @Test func historyRaisesConfidenceOfTheSameCause() throws {
        let series = [
            makeSeries("saturation", service: "db", level: 0.3, noise: 0.01, changeAt: 300, change: 0.6),
            makeSeries("latency", service: "db", changeAt: 301, change: 30),
            makeSeries("latency", service: "api", changeAt: 302, change: 30),
        ]
        let window = try IncidentWindow(start: windowStart, end: windowEnd, history: 3_000_000)
        let graph = ServiceGraph(dependsOn: ["api": ["db"]])
        let patterns = try PatternLibrary.builtIn()
        let without = try RootCauseAnalyzer(patterns: patterns, graph: graph).analyze(series, window: window)
        let symptoms = without.symptoms
        let past = PastIncident(id: "INC-7", symptoms: symptoms, rootService: "db", cause: "pool exhausted",
                                pattern: "connection-pool exhaustion", remediation: "restart-service", outcome: .resolved)
        let with = try RootCauseAnalyzer(patterns: patterns, graph: graph, history: [past]).analyze(series, window: window)
        #expect(without.top?.service == "db")
        #expect(with.top?.pattern == "connection-pool exhaustion")
        #expect((with.top?.confidence ?? 0) > (without.top?.confidence ?? 1))
        #expect(with.top?.evidence.contains { $0.source == .history && $0.text.contains("INC-7") } == true)
    }
}

@Suite("baselines and odd input")
struct BaselineTests {
    @Test(arguments: BaselineRanker.allCases)
    func baselinesRankTheChangedServiceFirst(baseline: BaselineRanker) throws {
        let series = [
            makeSeries("cpu", service: "quiet"),
            makeSeries("cpu", service: "busy", changeAt: 300, change: 30),
            makeSeries("latency", service: "calm"),
        ]
        let window = try IncidentWindow(start: windowStart, end: windowEnd, history: 3_000_000)
        let ranking = baseline.rankServices(series, window: window)
        #expect(ranking.first == "busy")
        #expect(Set(ranking) == ["quiet", "busy", "calm"])
    }

    @Test func theRandomWalkEndsAtTheCalleeItsCallersPointTo() throws {
        // The database's CPU rose; its two callers' latency followed, more strongly. Ranked by size alone,
        // a caller comes first; the walk moves from the callers to what they call, and stays there.
        let series = [
            makeSeries("cpu", service: "db", changeAt: 300, change: 8),
            makeSeries("latency", service: "api", changeAt: 300, change: 30),
            makeSeries("latency", service: "web", changeAt: 300, change: 30),
            makeSeries("cpu", service: "mail"),
        ]
        let graph = ServiceGraph(dependsOn: ["web": ["api", "db"], "api": ["db"], "mail": []])
        let window = try IncidentWindow(start: windowStart, end: windowEnd, history: 3_000_000)
        let ranking = RandomWalkBaseline.rankServices(series, window: window, graph: graph)
        #expect(ranking.first == "db")
        #expect(Set(ranking) == ["db", "api", "web", "mail"])
        #expect(ranking.last == "mail")
        // Without a graph it is a ranking by change size.
        #expect(RandomWalkBaseline.rankServices(series, window: window, graph: ServiceGraph()).last == "mail")
        for baseline in RCABaseline.allCases {
            let item = RCACase(id: "c", series: series, window: window, graph: graph, roots: ["db"])
            #expect(Set(baseline.rankServices(item)) == ["db", "api", "web", "mail"])
        }
    }

    @Test func unsortedTimestampsDoNotCrash() throws {
        var reversed = makeSeries("cpu", service: "odd", changeAt: 300, change: 30)
        reversed.timestamps.reverse()
        let window = try IncidentWindow(start: windowStart, end: windowEnd, history: 3_000_000)
        let series = [reversed, makeSeries("cpu", service: "fine", changeAt: 300, change: 30)]
        let diagnosis = try RootCauseAnalyzer(patterns: []).analyze(series, window: window)
        #expect(diagnosis.top?.service == "fine")
        for baseline in BaselineRanker.allCases { _ = baseline.rankServices(series, window: window) }
    }
}

@Suite("order statistics")
struct SelectionTests {
    @Test func selectionAgreesWithSorting() {
        var random = Xoshiro256(seed: 11)
        for size in [1, 2, 3, 8, 31, 200] {
            for _ in 0..<20 {
                // Many ties: values on a coarse grid.
                let values = (0..<size).map { _ in Double(Int(random.nextUnit() * 7)) }
                let sorted = values.sorted()
                for k in [0, size / 2, size - 1] {
                    var copy = values
                    let selected = copy.withUnsafeMutableBufferPointer { Selection.kthSmallest($0, k) }
                    #expect(selected == sorted[k])
                }
                var copy = values
                let median = copy.withUnsafeMutableBufferPointer { Selection.quantile($0, 0.5) }
                let position = 0.5 * Double(size - 1)
                let low = sorted[Int(position)], high = sorted[min(Int(position) + 1, size - 1)]
                #expect(median == low + (position - Double(Int(position))) * (high - low))
            }
        }
    }
}

@Suite("unseen callee")
struct UnseenCalleeTests {
    let window: IncidentWindow
    let graph = ServiceGraph(dependsOn: ["api": ["db", "cache"], "worker": ["db"], "cron": ["db"]])

    init() throws {
        window = try IncidentWindow(start: windowStart, end: windowEnd, history: 3_000_000)
    }

    @Test func everyCallerSlowingPointsAtTheCalleeWhoseOwnLatencyDidNotMove() throws {
        // A network delay on db: the calls to it slow down at all three callers; db's own latency stays.
        let series = [
            makeSeries("latency", service: "api", changeAt: 301, change: 30),
            makeSeries("latency", service: "worker", changeAt: 301, change: 25),
            makeSeries("latency", service: "cron", changeAt: 302, change: 20),
            makeSeries("latency", service: "db"),
            makeSeries("cpu", service: "db"),
            makeSeries("latency", service: "cache"),
        ]
        let diagnosis = try RootCauseAnalyzer(patterns: [], graph: graph).analyze(series, window: window)
        #expect(diagnosis.top?.service == "db")
        #expect(diagnosis.top?.seriesKey == nil)
        #expect(diagnosis.top?.evidence.contains { $0.text.contains("db's own latency did not move") } == true)
        let api = try #require(diagnosis.candidates.first { $0.service == "api" })
        #expect(api.evidence.contains { $0.text.contains("follows its dependency db") })
        // Without the graph nothing ties the callers together: the largest change wins.
        #expect(try RootCauseAnalyzer(patterns: []).analyze(series, window: window).top?.service == "api")
    }

    @Test func oneQuietCallerOrAMovingCalleeKeepsTheOrdinaryRanking() throws {
        // cron's latency stayed: the callers do not all agree, so each change stands for itself.
        let partial = [
            makeSeries("latency", service: "api", changeAt: 301, change: 30),
            makeSeries("latency", service: "worker", changeAt: 301, change: 25),
            makeSeries("latency", service: "cron"),
            makeSeries("latency", service: "db"),
        ]
        #expect(try RootCauseAnalyzer(patterns: [], graph: graph).analyze(partial, window: window).top?.service == "api")
        // db's own latency rose: the ordinary evidence names it, with its own series.
        let moving = [
            makeSeries("latency", service: "api", changeAt: 301, change: 30),
            makeSeries("latency", service: "worker", changeAt: 301, change: 25),
            makeSeries("latency", service: "cron", changeAt: 302, change: 20),
            makeSeries("latency", service: "db", changeAt: 300, change: 20),
        ]
        let diagnosis = try RootCauseAnalyzer(patterns: [], graph: graph).analyze(moving, window: window)
        #expect(diagnosis.top?.service == "db")
        #expect(diagnosis.top?.seriesKey != nil)
    }

    @Test func oneCallerPointsAtItsOnlyCalleeThroughItsOutboundLatencyAlone() throws {
        let chain = ServiceGraph(dependsOn: ["web": ["auth"]])
        // The calls web makes slowed (client-side latency); web's own latency and auth's did not move.
        let outbound = [
            makeSeries("client_latency", service: "web", changeAt: 301, change: 30),
            makeSeries("latency", service: "web"),
            makeSeries("latency", service: "auth"),
        ]
        let diagnosis = try RootCauseAnalyzer(patterns: [], graph: chain).analyze(outbound, window: window)
        #expect(diagnosis.top?.service == "auth")
        #expect(diagnosis.top?.evidence.contains { $0.text.contains("its one caller, which calls nothing else") } == true)
        // web's own latency could be web's own fault: one caller's own latency names no callee.
        let own = [makeSeries("latency", service: "web", changeAt: 301, change: 30), makeSeries("latency", service: "auth")]
        #expect(try RootCauseAnalyzer(patterns: [], graph: chain).analyze(own, window: window).top?.service == "web")
    }
}
