import AuroraCore
import AuroraSimulation
import Foundation
@testable import AuroraDiagnosis
import Testing

@Suite("root-cause evaluation")
struct RCAEvaluationTests {
    static func outcome(_ id: String, rank: Int?, confidence: Double, system: String) -> RCAOutcome {
        var ranking = ["a", "b", "c", "d", "e", "f"]
        let root = rank.map { ranking[$0 - 1] } ?? "z"
        if rank == nil { ranking.removeAll { $0 == "z" } }
        return RCAOutcome(id: id, groups: [RCAGroup("system", system)], roots: [root], ranking: ranking, confidence: confidence)
    }

    @Test func accuracyAtKPerGroupAndChance() {
        let outcomes = [
            Self.outcome("1", rank: 1, confidence: 0.95, system: "x"),
            Self.outcome("2", rank: 2, confidence: 0.6, system: "x"),
            Self.outcome("3", rank: 4, confidence: 0.3, system: "y"),
            Self.outcome("4", rank: nil, confidence: 0.1, system: "y"),
        ]
        let board = RCAScoreboard(outcomes)
        #expect(board.rows.map(\.group.value) == ["all", "x", "y"])
        let all = board.rows[0]
        #expect(all.cases == 4)
        #expect(all.ac(1) == 0.25 && all.ac(3) == 0.5 && all.ac(5) == 0.75)
        #expect(abs(all.avg5 - (0.25 + 0.5 + 0.5 + 0.75 + 0.75) / 5) < 1e-12)
        #expect(board.rows[1].ac(1) == 0.5 && board.rows[2].ac(1) == 0)
        // One root among six services: a random order finds it in the first k with chance k/6.
        #expect(abs(all.chance - (1.0 + 2 + 3 + 4 + 5) / 6 / 5) < 1e-12)
        #expect(RCAScoreboard.hitChance(services: 4, roots: 2, k: 1) == 0.5)
    }

    @Test func reliabilityBandsAndCalibrationError() {
        // Ten cases at 0.95, nine right; ten at 0.75, five right (the band breaks its promise).
        var results: [(confidence: Double, right: Bool)] = []
        for index in 0..<10 { results.append((0.95, index < 9)) }
        for index in 0..<10 { results.append((0.75, index < 5)) }
        let table = ReliabilityTable(results)
        #expect(table.bands.map(\.cases) == [0, 0, 10, 10])
        #expect(table.bands[3].accuracy == 0.9 && table.bands[3].holds())
        #expect(table.bands[2].accuracy == 0.5 && !table.bands[2].holds())
        #expect(!table.holds())
        // |0.9 − 0.95| and |0.5 − 0.75|, weighted equally.
        #expect(abs(table.expectedCalibrationError - (0.05 + 0.25) / 2) < 1e-9)
        #expect(table.bands[3].upper == 1)
        // A band of four is not judged.
        #expect(ReliabilityTable([(0.95, false), (0.95, false), (0.95, false), (0.95, false)]).holds())
    }

    @Test func aShortHistoryGivesAnAnswerWithLowerConfidence() throws {
        // The recording starts three points before the incident: a reason for doubt, not an error.
        let start: Int64 = 1_700_000_000_000
        func series(_ service: String, jump: Double) -> Series {
            var series = Series(key: SeriesKey(name: "cpu", labels: [Label("service", service)]))
            for index in 0..<20 {
                series.append(timestamp: start + Int64(index) * 60_000, value: 10 + Double(index % 2) + (index >= 3 ? jump : 0))
            }
            return series
        }
        let window = try IncidentWindow(start: start + 180_000, end: start + 19 * 60_000, history: 180_000)
        let diagnosis = try RootCauseAnalyzer(patterns: []).analyze([series("api", jump: 80), series("db", jump: 0)], window: window)
        let top = try #require(diagnosis.top)
        #expect(top.service == "api")
        #expect(top.confidence < 0.5)
        #expect(top.evidence.contains { $0.text.contains("3 point(s) of history") })
    }

    @Test func evaluatorScoresGeneratedCasesWithTheirGraphs() throws {
        let generator = IncidentGenerator(masterSeed: 3)
        var outcomes: [RCAOutcome] = []
        var index = 0
        while outcomes.count < 6 && index < 40 {
            let item = generator.generate(index: index)
            index += 1
            guard item.label.hasFault, !item.label.silent else { continue }
            let window = try IncidentWindow(start: item.label.onset * 1000, end: item.time(ofRow: item.rowCount - 1) * 1000,
                                            history: 5_400_000)
            let rcaCase = RCACase(id: "\(index)", series: item.series(wide: false), window: window,
                                  graph: ServiceGraph(edges: item.callEdges), services: item.topology.services.map(\.name),
                                  roots: item.label.roots, groups: [RCAGroup("fault_type", item.label.kind?.rawValue ?? "none")])
            outcomes.append(RCAEvaluator(patterns: try PatternLibrary.builtIn()).evaluate(rcaCase))
        }
        #expect(outcomes.count == 6)
        #expect(outcomes.allSatisfy { $0.failure == nil && $0.inputs != nil })
        // Every service is ranked, so AC@k reaches 1 once k covers them all.
        #expect(outcomes.allSatisfy { $0.hitRank != nil })
        let board = RCAScoreboard(outcomes)
        #expect(board.rows[0].ac(1) >= 0.5, "AC@1 \(board.rows[0].ac(1)) on easy generated cases")
    }
}
