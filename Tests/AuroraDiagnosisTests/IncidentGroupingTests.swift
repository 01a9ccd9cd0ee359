import AuroraCore
import AuroraDiagnosis
import Testing

@Suite("incident grouping")
struct IncidentGroupingTests {
    func observation(_ name: String, _ service: String?, _ start: Int64, _ end: Int64) -> AnomalyObservation {
        let labels = service.map { [Label("service", $0)] } ?? []
        return AnomalyObservation(key: SeriesKey(name: name, labels: labels), start: start, end: end, peak: 1, score: 0.9,
                                  direction: .up)
    }

    @Test func overlappingAndNearAnomaliesFormOneIncident() {
        let grouper = IncidentGrouper(gap: 60_000)
        let groups = grouper.group([
            observation("latency", "checkout", 0, 100_000),
            observation("errors", "payments", 50_000, 120_000),
            observation("cpu", "payments", 170_000, 200_000),   // 50 s after the last end: within the gap
            observation("cpu", "search", 400_000, 410_000),     // far later: a new incident
        ])
        #expect(groups.count == 2)
        #expect(groups[0].start == 0)
        #expect(groups[0].end == 200_000)
        #expect(groups[0].services == ["checkout", "payments"])
        #expect(groups[0].seriesKeys.count == 3)
        #expect(groups[1].services == ["search"])
    }

    @Test func inputOrderDoesNotMatter() {
        let items = [
            observation("a_latency", nil, 10, 20), observation("b_cpu", nil, 15, 40), observation("c_mem", nil, 500, 600),
        ]
        let grouper = IncidentGrouper(gap: 100)
        #expect(grouper.group(items) == grouper.group(items.reversed()))
        // Wide-export names carry the service as their prefix.
        #expect(grouper.group(items)[0].services == ["a", "b"])
    }

    @Test func zeroGapSplitsTouchingButNotOverlapping() {
        let grouper = IncidentGrouper(gap: 0)
        #expect(grouper.group([observation("x", "s", 0, 10), observation("y", "s", 10, 20)]).count == 1)
        #expect(grouper.group([observation("x", "s", 0, 10), observation("y", "s", 11, 20)]).count == 2)
        #expect(grouper.group([]).isEmpty)
    }

    @Test func windowFromGroupAddsLead() throws {
        let group = IncidentGrouper().group([observation("x", "s", 1_000_000, 1_060_000)])[0]
        let window = try IncidentWindow(group: group, lead: 120_000)
        #expect(window.start == 880_000)
        #expect(window.end == 1_060_000)
        #expect(throws: DiagnosisError.self) { try IncidentWindow(start: 10, end: 5) }
    }
}
