import AuroraCore
import Foundation
@testable import AuroraDiagnosis
import Testing

@Suite("change scale and roles")
struct ScaleAndRoleTests {
    @Test func rolesComeFromConventionsAndWellKnownNames() {
        #expect(MetricRole.classify("Twitter_volume_AAPL") == .other)
        #expect(MetricRole.classify("CpuUsageRate(%)") == .cpu)
        #expect(MetricRole.classify("MemoryUsage(Mi)") == .memory)
        #expect(MetricRole.classify("PodClientLatencyP99(s)") == .latency)
        #expect(MetricRole.classify("PodWorkload(Ops)") == .load)
        #expect(MetricRole.classify("NodeCpuUsageRate(%)") == .host)
        #expect(MetricRole.classify("node_cpu_seconds_total") == .host)
        // The synthetic generator's host series (aurora-synth/2), long and wide.
        #expect(MetricRole.classify("node_cpu") == .host && MetricRole.classify("node_mem") == .host)
        #expect(SeriesIdentity(SeriesKey(name: "cart-x1_node_cpu")).role == .host)
        #expect(MetricRole.classify("process_cpu_seconds_total") == .cpu)
        #expect(MetricRole.classify("http_request_duration_seconds_bucket") == .latency)
        #expect(MetricRole.classify("grpc_server_handling_seconds") == .latency)
        #expect(MetricRole.classify("container_memory_working_set_bytes") == .memory)
        #expect(MetricRole.classify("http_requests_total") == .load)
        #expect(MetricRole.classify("node_filesystem_avail_bytes") == .disk)
        #expect(MetricUnit.of("CpuUsageRate(%)") == .percent)
        #expect(MetricUnit.of("PodServerLatencyP90(s)") == .seconds)
        #expect(MetricUnit.of("http_request_duration_seconds_bucket") == .seconds)
        #expect(MetricUnit.of("disk_used_ratio") == .ratio)
        #expect(MetricUnit.of("Twitter_volume_AAPL") == .unknown)
        // Configuration (a `role` label) wins over the name.
        let configured = SeriesIdentity(SeriesKey(name: "volume", labels: [Label("role", "disk"), Label("service", "db")]))
        #expect(configured.role == .disk && configured.roleEvidence == .configuration)
        #expect(SeriesIdentity(SeriesKey(name: "volume")).roleEvidence == .unknown)
        #expect(SeriesIdentity(SeriesKey(name: "PodClientLatencyP99(s)", labels: [Label("service", "a")])).isOutbound)
        #expect(!SeriesIdentity(SeriesKey(name: "PodServerLatencyP99(s)", labels: [Label("service", "a")])).isOutbound)
    }

    /// One-minute samples: 30 of history, 8 in the window.
    static func series(_ metric: String, _ service: String, history: [Double], window: [Double]) -> Series {
        var series = Series(key: SeriesKey(name: metric, labels: [Label("service", service)]))
        for (index, value) in (history + window).enumerated() {
            series.append(timestamp: 1_700_000_000_000 + Int64(index) * 60_000, value: value)
        }
        return series
    }

    static let window = try! IncidentWindow(start: 1_700_000_000_000 + 30 * 60_000, end: 1_700_000_000_000 + 37 * 60_000,
                                             history: 30 * 60_000)

    @Test func quasiConstantAndIdleSeriesDoNotOutrankARealChange() throws {
        // Memory at 306.8 MB moving 0.3 %, an idle service's CPU blipping from 0.002 % to 6 % once, and
        // the root's CPU going from 1 % to 100 %.
        let memory = Self.series("MemoryUsage(Mi)", "cart", history: (0..<30).map { 306.8 + Double($0 % 3) * 0.001 },
                                 window: [305.9, 305.8, 305.8, 305.9, 305.8, 305.8, 305.9, 305.8])
        let idle = Self.series("CpuUsageRate(%)", "admin", history: (0..<30).map { 0.002 + Double($0 % 2) * 0.0005 },
                               window: [0.002, 6, 0.002, 0.0025, 0.002, 0.002, 0.0025, 0.002])
        let root = Self.series("CpuUsageRate(%)", "travel", history: (0..<30).map { 1 + Double($0 % 4) * 0.1 },
                               window: [40, 95, 100, 98, 99, 100, 97, 99])
        let changes = ChangeScanner().scan([memory, idle, root], window: Self.window)
        #expect(changes[0].magnitude < 4, "memory z \(changes[0].magnitude)")
        #expect(changes[1].magnitude < 4, "idle blip z \(changes[1].magnitude)")
        #expect(changes[2].magnitude > 50)
        let diagnosis = try RootCauseAnalyzer(patterns: try PatternLibrary.builtIn()).analyze([memory, idle, root], window: Self.window)
        #expect(diagnosis.top?.service == "travel")
        #expect(diagnosis.top?.pattern == "cpu saturation")
    }

    @Test func aCPUHogIsNotAMemoryLeakAndAVolumeIsNotADisk() throws {
        let cpu = Self.series("cpu_usage_percent", "api", history: (0..<30).map { 10 + Double($0 % 4) },
                              window: [90, 95, 96, 94, 95, 97, 96, 95])
        // Memory rises a little beside it (more work in flight): a side effect, not a leak.
        let memory = Self.series("memory_usage_bytes", "api", history: (0..<30).map { 1000 + Double($0 % 3) * 2 },
                                 window: [1040, 1045, 1050, 1052, 1055, 1060, 1062, 1065])
        let diagnosis = try RootCauseAnalyzer(patterns: try PatternLibrary.builtIn()).analyze([cpu, memory], window: Self.window)
        #expect(diagnosis.top?.pattern == "cpu saturation")
        let matches = PatternMatcher(patterns: try PatternLibrary.builtIn()).match(ChangeScanner().scan([cpu, memory], window: Self.window))
        #expect(!matches.contains { $0.pattern.name == "memory leak" })

        let volume = Self.series("Twitter_volume_AAPL", "twitter", history: (0..<30).map { 100 + Double($0 % 5) },
                                 window: [300, 320, 310, 330, 340, 320, 310, 300])
        let tweets = try RootCauseAnalyzer(patterns: try PatternLibrary.builtIn()).analyze([volume], window: Self.window)
        #expect(tweets.top?.pattern == nil)
        #expect(tweets.top.map { $0.confidence < 0.7 } ?? true)
    }

    /// A CPU saturation on the one service there is, seen on one series: the service cannot be the wrong
    /// one, so the one-series limit does not hold the confidence below the act line. A second service with
    /// series, or a dependency the graph names, brings the limit back.
    @Test func oneSeriesOnTheOnlyServiceIsConfidentAndAnotherServiceBringsTheLimitBack() throws {
        let history = (0..<30).map { 10 + Double($0 % 4) }
        let cpu = Self.series("cpu_usage_percent", "checkout", history: history, window: [90, 95, 96, 94, 95, 97, 96, 95])
        let analyzer = RootCauseAnalyzer(patterns: try PatternLibrary.builtIn())
        let alone = try #require(try analyzer.analyze([cpu], window: Self.window).top)
        #expect(alone.service == "checkout")
        #expect(alone.confidenceInputs.candidateServices == 1 && alone.confidenceInputs.seriesCount == 1)
        #expect(alone.confidence > 0.9 && alone.tier == .autoExecute, "\(alone.confidence)")
        #expect(alone.evidence.contains { $0.text.contains("the only service that could be the root") })

        let bystander = Self.series("cpu_usage_percent", "cart", history: history, window: Array(history.prefix(8)))
        let two = try #require(try analyzer.analyze([cpu, bystander], window: Self.window).top)
        #expect(two.service == "checkout" && two.confidenceInputs.candidateServices == 2)
        #expect(two.confidence < 0.7, "\(two.confidence)")

        var graphed = analyzer
        graphed.graph = ServiceGraph(dependsOn: ["checkout": ["payments"]])
        let withGraph = try #require(try graphed.analyze([cpu], window: Self.window).top)
        #expect(withGraph.confidenceInputs.candidateServices == 2)
        #expect(withGraph.confidence < 0.7, "\(withGraph.confidence)")
    }
}
