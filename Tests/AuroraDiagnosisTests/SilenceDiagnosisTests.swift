import AuroraCore
import Foundation
@testable import AuroraDiagnosis
import Testing

/// An incident whose anomalies are series that stopped reporting (absent-data events) has no change to
/// rank: ranked anyway, it named whichever service sorted first, at confidence 0. The silent services are
/// the diagnosis, said as what is known, and go to a human.
@Suite struct SilenceDiagnosisTests {
    /// api's series stop at the window's start (its points end there); db and web keep reporting, unchanged.
    static func fleet() -> [Series] {
        let api = (0..<3).map { index -> Series in
            var series = makeSeries("requests_total", service: "api", seed: UInt64(index))
            series.key = SeriesKey(name: "requests_total", labels: [Label("instance", "i\(index)"), Label("service", "api")])
            let kept = series.timestamps.prefix { $0 < windowStart }.count
            return Series(key: series.key, timestamps: Array(series.timestamps.prefix(kept)), values: Array(series.values.prefix(kept)))
        }
        return api + [makeSeries("latency_seconds", service: "db"), makeSeries("requests_total", service: "web")]
    }

    static let apiSilence = Silence(service: "api", seriesCount: 3,
                                    example: SeriesKey(name: "requests_total", labels: [Label("instance", "i0"), Label("service", "api")]),
                                    since: windowStart, lastPoint: windowStart - 10_000)

    @Test func anIncidentOfSilencesIsDiagnosedAsTheSilentServiceAndEscalated() throws {
        let window = try IncidentWindow(start: windowStart, end: windowEnd, history: 3_000_000)
        let analyzer = RootCauseAnalyzer(patterns: try PatternLibrary.builtIn())
        // Before: the services that kept reporting were ranked, and one of them named at confidence 0.
        let ranked = try analyzer.analyze(Self.fleet(), window: window)
        #expect(ranked.top?.service != "api" && ranked.top?.confidence == 0)

        let diagnosis = try analyzer.analyze(Self.fleet(), window: window, focus: [], silences: [Self.apiSilence])
        #expect(diagnosis.candidates.map(\.service) == ["api"])
        let top = try #require(diagnosis.top)
        #expect(top.cause == RootCauseAnalyzer.silenceCause)
        #expect(top.confidence == 0 && top.tier == .escalate && top.remediation == nil)
        #expect(top.silence == Self.apiSilence)
        #expect(top.evidence.first?.source == .absence)
        #expect(top.evidence.first?.text == #"3 series (requests_total{instance="i0",service="api"} and 2 more) stopped reporting at "#
                + "2023-11-14T23:03:20Z, last point at 2023-11-14T23:03:10Z; none has reported since")
        #expect(top.evidence.contains { $0.text.contains("for a human to find") })
        #expect(diagnosis.services.isEmpty && diagnosis.changes.isEmpty)
        #expect(diagnosis.silences == [Self.apiSilence])
        #expect(diagnosis.notes.contains { $0.contains("no change to rank") })
        // Diagnosed the same while they are still gone, with no series at all in the window.
        #expect(try analyzer.analyze([], window: window, focus: [], silences: [Self.apiSilence]).top?.service == "api")
    }

    @Test func whatTheEvidenceSaysOnceTheSeriesCameBack() {
        var silence = Self.apiSilence
        silence = Silence(service: silence.service, seriesCount: 3, example: silence.example, since: silence.since,
                          returnedCount: 3, returnedAt: windowStart + 300_000)
        #expect(silence.text.hasSuffix("stopped reporting at 2023-11-14T23:03:20Z; all reporting again from 2023-11-14T23:08:20Z"))
        silence.returnedCount = 1
        #expect(silence.text.hasSuffix("; 1 reporting again from 2023-11-14T23:08:20Z, 2 still missing"))
        let alone = Silence(service: "api", seriesCount: 1, example: Self.apiSilence.example, since: windowStart, returnedCount: 1,
                            returnedAt: windowStart + 60_000)
        #expect(alone.text == #"its series requests_total{instance="i0",service="api"} stopped reporting at 2023-11-14T23:03:20Z; "#
                + "reporting again from 2023-11-14T23:04:20Z")
    }

    @Test func servicesThatWentSilentTogetherAreEachACandidateMostSeriesFirst() throws {
        let window = try IncidentWindow(start: windowStart, end: windowEnd, history: 3_000_000)
        let db = Silence(service: "db", seriesCount: 40, example: SeriesKey(name: "up", labels: [Label("service", "db")]), since: windowStart)
        let cache = Silence(service: "cache", seriesCount: 2, example: SeriesKey(name: "up", labels: [Label("service", "cache")]),
                            since: windowStart + 60_000)
        let diagnosis = try RootCauseAnalyzer(patterns: []).analyze([], window: window, focus: [], silences: [Self.apiSilence, cache, db])
        #expect(diagnosis.candidates.map(\.service) == ["db", "api", "cache"])
        #expect(diagnosis.candidates.map(\.rank) == [1, 2, 3])
        #expect(diagnosis.candidates.allSatisfy { $0.confidence == 0 && $0.tier == .escalate })
        let texts = diagnosis.candidates[0].evidence.map(\.text)
        #expect(texts.contains { $0.hasPrefix("api stopped reporting at the same moment: what they share") })
        #expect(texts.contains("cache also stopped reporting during the incident, at another moment"))
    }

    @Test(arguments: [ConfidenceTiers(autoExecute: 0, autoWithMonitoring: 0, approval: 0), ConfidenceTiers()])
    func noTiersLetASilenceActWithoutAHuman(tiers: ConfidenceTiers) throws {
        let window = try IncidentWindow(start: windowStart, end: windowEnd, history: 3_000_000)
        let analyzer = RootCauseAnalyzer(patterns: [], options: DiagnosisOptions(tiers: tiers))
        let top = try #require(try analyzer.analyze([], window: window, focus: [], silences: [Self.apiSilence]).top)
        #expect(top.tier == .escalate || top.tier == .approval)
    }

    /// A mixed incident: checkout's latency rose (an ordinary anomaly) while api went silent. The silent
    /// service comes after a candidate a remediation could act on, and before a weaker one.
    @Test(arguments: [(0.000_001, ["checkout", "api"]), (0.999, ["api", "checkout"])])
    func aMixedIncidentKeepsTheAnalysisAndListsTheSilentService(approval: Double, order: [String]) throws {
        let window = try IncidentWindow(start: windowStart, end: windowEnd, history: 3_000_000)
        let latency = makeSeries("latency_seconds", service: "checkout", level: 0.2, noise: 0.01, changeAt: 300, change: 1)
        let tiers = ConfidenceTiers(autoExecute: max(approval, 0.9), autoWithMonitoring: max(approval, 0.7), approval: approval)
        let analyzer = RootCauseAnalyzer(patterns: try PatternLibrary.builtIn(), options: DiagnosisOptions(tiers: tiers))
        let diagnosis = try analyzer.analyze(Self.fleet() + [latency], window: window, focus: [latency.key], silences: [Self.apiSilence])
        #expect(Array(diagnosis.candidates.map(\.service).prefix(2)) == order)
        #expect(diagnosis.candidates.map(\.rank) == Array(1...diagnosis.candidates.count))
        let checkout = try #require(diagnosis.candidates.first { $0.service == "checkout" })
        #expect(checkout.confidence > 0 && checkout.silence == nil)
        let api = try #require(diagnosis.candidates.first { $0.service == "api" })
        #expect(api.cause == RootCauseAnalyzer.silenceCause && api.confidence == 0)
        #expect(diagnosis.silences == [Self.apiSilence])
        #expect(diagnosis.notes.contains { $0.hasPrefix("api stopped reporting during the incident") })
        // The analysis of the series that kept reporting is unchanged.
        let alone = try analyzer.analyze(Self.fleet() + [latency], window: window, focus: [latency.key])
        #expect(alone.changes == diagnosis.changes && alone.services == diagnosis.services)
    }

    @Test func aSilentServiceWithItsOwnCandidateSaysSoFirst() throws {
        let window = try IncidentWindow(start: windowStart, end: windowEnd, history: 3_000_000)
        let latency = makeSeries("latency_seconds", service: "checkout", level: 0.2, noise: 0.01, changeAt: 300, change: 1)
        let silence = Silence(service: "checkout", seriesCount: 2, example: SeriesKey(name: "cpu", labels: [Label("service", "checkout")]),
                              since: windowStart)
        let diagnosis = try RootCauseAnalyzer(patterns: []).analyze([latency], window: window, focus: [latency.key], silences: [silence])
        let top = try #require(diagnosis.top)
        #expect(top.service == "checkout" && top.cause != RootCauseAnalyzer.silenceCause && top.confidence > 0)
        #expect(top.silence == silence && top.evidence.first?.source == .absence)
        #expect(diagnosis.candidates.filter { $0.service == "checkout" }.count == 1)
    }

    @Test func theSilenceIsInTheJSON() throws {
        let window = try IncidentWindow(start: windowStart, end: windowEnd, history: 3_000_000)
        let diagnosis = try RootCauseAnalyzer(patterns: []).analyze([], window: window, focus: [], silences: [Self.apiSilence])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = String(decoding: try encoder.encode(diagnosis), as: UTF8.self)
        #expect(json.contains(#""silence":{"example":"requests_total{instance=\"i0\",service=\"api\"}","lastPoint":1700002990000,"#
                              + #""returnedCount":0,"seriesCount":3,"service":"api","since":1700003000000}"#))
        #expect(json.contains(#""silences":[{"example""#))
        #expect(json.contains(#""source":"absence""#))
    }
}
