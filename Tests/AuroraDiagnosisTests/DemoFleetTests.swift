import AuroraCore
import AuroraDiagnosis
import AuroraSimulation
import Testing

@Suite struct DemoFleetTests {
    @Test func poolExhaustionAtPostgresIsDiagnosedThere() throws {
        let fleet = DemoFleet()
        let start: Int64 = 1_767_225_600
        let faultAt = start + 6 * 3600
        let series = fleet.series(from: start, to: faultAt + 15 * 60, faults: [.init(service: "postgres", start: faultAt)])
        #expect(series.count == 17)
        #expect(fleet.series(from: start, to: start + 600, faults: []) == fleet.series(from: start, to: start + 600, faults: []))
        let analyzer = RootCauseAnalyzer(patterns: try PatternLibrary.builtIn(),
                                         graph: ServiceGraph(edges: DemoFleet.dependencies))
        let diagnosis = try analyzer.analyze(series, window: IncidentWindow(start: faultAt * 1000, end: (faultAt + 15 * 60) * 1000))
        let top = try #require(diagnosis.top)
        #expect(top.service == "postgres")
        #expect(top.pattern == "connection-pool exhaustion")
        #expect(top.remediation == "restart-service")
    }
}
