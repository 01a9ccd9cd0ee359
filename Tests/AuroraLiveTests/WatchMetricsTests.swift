import AuroraWatch
import Foundation
import Testing

@Suite struct WatchMetricsTests {
    /// The value of an unlabelled sample in exposition text.
    func sample(_ name: String, in text: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ")[1]) }
    }

    @Test func passCPUIsASummaryAndALastValue() {
        let metrics = WatchMetrics()
        metrics.recordPass(seconds: 2, cpuSeconds: 0.25, at: Date(timeIntervalSince1970: 100), seriesWatched: 3, pointsRead: 9, events: 0, absent: 0,
                           openIncidents: 0)
        metrics.recordPass(seconds: 1, cpuSeconds: 0.5, at: Date(timeIntervalSince1970: 160), seriesWatched: 3, pointsRead: 3, events: 0, absent: 0,
                           openIncidents: 0)
        let text = metrics.render()
        #expect(text.contains("# TYPE aurora_watch_pass_cpu_seconds summary\n"))
        #expect(sample("aurora_watch_pass_cpu_seconds_sum", in: text) == 0.75)
        #expect(sample("aurora_watch_pass_cpu_seconds_count", in: text) == 2)
        #expect(text.contains("# TYPE aurora_watch_last_pass_cpu_seconds gauge\n"))
        #expect(sample("aurora_watch_last_pass_cpu_seconds", in: text) == 0.5)
        #expect(sample("aurora_watch_pass_duration_seconds_sum", in: text) == 3)
    }
}
