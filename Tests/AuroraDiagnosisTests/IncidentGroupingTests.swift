import AuroraCore
import AuroraDiagnosis
import Testing

/// The incident as diagnosis reads it (which anomalies form one is `IncidentGrouping`'s rule, tested
/// in AuroraCoreTests).
@Suite("incident group")
struct IncidentGroupingTests {
    func observation(_ name: String, _ service: String?, _ start: Int64, _ end: Int64) -> AnomalyObservation {
        let labels = service.map { [Label("service", $0)] } ?? []
        return AnomalyObservation(key: SeriesKey(name: name, labels: labels), start: start, end: end, peak: 1, score: 0.9,
                                  direction: .up)
    }

    @Test func spanServicesAndSeriesFollowFromTheObservations() {
        let group = IncidentGroup(observations: [
            observation("errors", "payments", 50_000, 120_000),
            observation("latency", "checkout", 0, 100_000),
            observation("cpu", "payments", 170_000, 200_000),
        ])
        #expect(group.start == 0)
        #expect(group.end == 200_000)
        #expect(group.services == ["checkout", "payments"])
        #expect(group.seriesKeys.count == 3)
        #expect(group.observations.map(\.start) == [0, 50_000, 170_000])
    }

    @Test func inputOrderDoesNotMatter() {
        let items = [
            observation("a_latency", nil, 10, 20), observation("b_cpu", nil, 15, 40), observation("c_mem", nil, 500, 600),
        ]
        #expect(IncidentGroup(observations: items) == IncidentGroup(observations: items.reversed()))
        // Wide-export names carry the service as their prefix.
        #expect(IncidentGroup(observations: items).services == ["a", "b", "c"])
    }

    @Test func windowFromGroupAddsLead() throws {
        let group = IncidentGroup(observations: [observation("x", "s", 1_000_000, 1_060_000)])
        let window = try IncidentWindow(group: group, lead: 120_000)
        #expect(window.start == 880_000)
        #expect(window.end == 1_060_000)
        #expect(throws: DiagnosisError.self) { try IncidentWindow(start: 10, end: 5) }
    }
}
