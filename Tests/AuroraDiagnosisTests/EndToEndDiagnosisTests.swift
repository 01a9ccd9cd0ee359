import AuroraCore
import AuroraDiagnosis
import AuroraSimulation
import Foundation
import Testing

@Suite("end to end on generated incidents")
struct EndToEndDiagnosisTests {
    static let generator = IncidentGenerator(masterSeed: 0)
    static let patterns: [DiagnosisPattern] = (try? PatternLibrary.builtIn()) ?? []

    static func oracleWindow(_ item: SyntheticCase) throws -> IncidentWindow {
        try IncidentWindow(start: item.label.onset * 1000, end: item.time(ofRow: item.rowCount - 1) * 1000,
                           history: 7_200_000)
    }

    /// Fault cases of the dev split that are not silent and have a single root.
    static func faultCases(_ count: Int) -> [SyntheticCase] {
        var found: [SyntheticCase] = []
        var index = 0
        while found.count < count && index < 200 {
            let item = generator.generate(index: index)
            if item.label.hasFault, !item.label.silent, item.label.roots.count == 1 { found.append(item) }
            index += 1
        }
        return found
    }

    @Test func oracleWindowFindsTheRootAndItsPattern() throws {
        let cases = Self.faultCases(12)
        var rootHits = 0, patternHits = 0
        for item in cases {
            let analyzer = RootCauseAnalyzer(patterns: Self.patterns, graph: ServiceGraph(edges: item.callEdges))
            let diagnosis = try analyzer.analyze(item.series(), window: Self.oracleWindow(item))
            let top = try #require(diagnosis.top)
            if item.label.roots.contains(top.service) { rootHits += 1 }
            if top.pattern == item.label.pattern { patternHits += 1 }
            #expect(top.tier == ConfidenceTiers().tier(for: top.confidence))
            #expect(diagnosis.services.count == item.topology.services.count)
        }
        #expect(rootHits >= 11, "root found in \(rootHits) of \(cases.count)")
        #expect(patternHits >= 10, "pattern found in \(patternHits) of \(cases.count)")
    }

    @Test func columnOrderAndSeriesLayoutDoNotChangeTheRanking() throws {
        let item = Self.faultCases(1)[0]
        let analyzer = RootCauseAnalyzer(patterns: Self.patterns, graph: ServiceGraph(edges: item.callEdges))
        let window = try Self.oracleWindow(item)
        let wide = try analyzer.analyze(item.series(wide: true), window: window)
        let reversed = try analyzer.analyze(item.series(wide: true).reversed(), window: window)
        let long = try analyzer.analyze(item.series(wide: false), window: window)
        #expect(wide.services.map(\.service) == reversed.services.map(\.service))
        #expect(wide.services.map(\.service) == long.services.map(\.service))
        #expect(wide.top?.confidence == long.top?.confidence)
    }

    @Test func noFaultCaseStaysBelowTheConfidenceFloor() throws {
        var checked = 0
        for index in 0..<80 where checked < 3 {
            let item = Self.generator.generate(index: index)
            guard !item.label.hasFault else { continue }
            let analyzer = RootCauseAnalyzer(patterns: Self.patterns, graph: ServiceGraph(edges: item.callEdges))
            let diagnosis = try analyzer.analyze(item.series(), window: Self.oracleWindow(item))
            #expect((diagnosis.top?.confidence ?? 0) < 0.5, "case \(index)")
            #expect(diagnosis.top.map { $0.tier == .escalate } ?? true)
            checked += 1
        }
        #expect(checked == 3)
    }

    /// Detect with a plain robust threshold, group into an incident, diagnose from the detected window.
    @Test func detectedIncidentIsDiagnosed() throws {
        let item = try #require(Self.faultCases(6).last { $0.label.confounders.isEmpty && $0.label.alpha == 1 })
        let series = item.series()
        var observations: [AnomalyObservation] = []
        for entry in series {
            let history = entry.values.prefix(400).sorted()
            guard history.count > 8 else { continue }
            let median = history[history.count / 2]
            let scale = max((history[history.count * 3 / 4] - history[history.count / 4]) / 1.349, 1e-9)
            var run: [Int] = []
            for index in 400..<entry.count {
                if abs(entry.values[index] - median) / scale > 8 { run.append(index) } else { run.removeAll() }
                if run.count == 3 {
                    observations.append(AnomalyObservation(
                        key: entry.key, start: entry.timestamps[run[0]], end: entry.timestamps[index],
                        peak: entry.values[index], score: 1, direction: entry.values[index] > median ? .up : .down))
                    break
                }
            }
        }
        // Grouped by the store's own rule: every observation is an event strong enough to open one.
        let events = observations.enumerated().map { index, item in
            UngroupedEvent(id: Int64(index), service: nil, start: item.start, end: item.end, recorded: item.end, score: item.score)
        }
        let plan = IncidentGrouping(gap: 600_000).plan(events, open: [])
        let members = Dictionary(grouping: plan.placements, by: \.incident).values
        let largest = try #require(members.max { $0.count < $1.count })
        let incident = IncidentGroup(observations: largest.map { observations[Int($0.event)] })
        let analyzer = RootCauseAnalyzer(patterns: Self.patterns, graph: ServiceGraph(edges: item.callEdges))
        let diagnosis = try analyzer.analyze(series, incident: incident, lead: 60_000, end: item.time(ofRow: item.rowCount - 1) * 1000)
        #expect(diagnosis.top.map { item.label.roots.contains($0.service) } == true)
        #expect(diagnosis.top?.pattern == item.label.pattern)
        #expect(diagnosis.top.map { $0.tier != .escalate } == true)
    }

    @Test func postMortemFromExportedCSV() throws {
        let item = Self.faultCases(2)[1]
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("aurora-pm-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try item.write(into: directory)
        let folder = directory.appendingPathComponent(String(format: "case-%06d", item.index))
        // The analyser never reads label.json: remove it, read only data.csv and inject_time.txt.
        try FileManager.default.removeItem(at: folder.appendingPathComponent("label.json"))
        let csv = try String(contentsOf: folder.appendingPathComponent("data.csv"), encoding: .utf8)
        let at = try #require(Int64(try String(contentsOf: folder.appendingPathComponent("inject_time.txt"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)))
        let series = Self.parseWide(csv)
        let postMortem = PostMortem(analyzer: RootCauseAnalyzer(patterns: Self.patterns, graph: ServiceGraph(edges: item.callEdges)))
        let diagnosis = try postMortem.analyze(series, at: at * 1000, history: 5_400_000)
        #expect(diagnosis.services.first.map { item.label.roots.contains($0.service) } == true)
    }

    /// A minimal wide-CSV reader for the test (the real one is in AuroraIngest).
    static func parseWide(_ text: String) -> [Series] {
        let lines = text.split(separator: "\n")
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        var series = header.dropFirst().map { Series(key: SeriesKey(name: $0)) }
        for line in lines.dropFirst() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            guard let time = Int64(cells[0]) else { continue }
            for (column, cell) in cells.dropFirst().enumerated() {
                if let value = Double(cell) { series[column].append(timestamp: time * 1000, value: value) }
            }
        }
        return series
    }
}
