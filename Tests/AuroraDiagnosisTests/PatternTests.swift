import AuroraCore
import Foundation
@testable import AuroraDiagnosis
import Testing

@Suite("patterns")
struct PatternTests {
    func change(_ metric: String, _ direction: ChangeDirection = .up, z: Double = 20, level: Double = 1, baseline: Double = 0.5)
        -> SeriesChange {
        let key = SeriesKey(name: metric, labels: [Label("service", "svc")])
        return SeriesChange(key: key, identity: SeriesIdentity(key), baselineMedian: baseline, baselineScale: 0.01,
                            magnitude: z, direction: direction, peak: z, onset: nil, level: level, historyPoints: 100,
                            windowPoints: 10)
    }

    @Test func builtInLibraryLoads() throws {
        let names = try PatternLibrary.builtIn().map(\.name)
        for expected in ["bad deploy", "cache stampede", "connection-pool exhaustion", "cpu saturation", "dependency outage",
                         "dependency slow", "disk full", "memory leak", "traffic surge"] {
            #expect(names.contains(expected))
        }
        #expect(names == names.sorted())
    }

    @Test func eachKnownPictureMatchesItsPattern() throws {
        let matcher = PatternMatcher(patterns: try PatternLibrary.builtIn())
        #expect(matcher.match([change("cpu"), change("saturation"), change("latency")]).first?.pattern.name == "cpu saturation")
        #expect(matcher.match([change("saturation"), change("latency")]).first?.pattern.name == "connection-pool exhaustion")
        #expect(matcher.match([change("mem"), change("latency", z: 5)]).first?.pattern.name == "memory leak")
        #expect(matcher.match([change("latency")]).first?.pattern.name == "dependency slow")
        #expect(matcher.match([change("error", level: 0.1), change("latency", .down)]).first?.pattern.name == "bad deploy")
        #expect(matcher.match([change("error", level: 1), change("latency")]).first?.pattern.name == "dependency outage")
        #expect(matcher.match([change("load"), change("cpu"), change("latency")]).first?.pattern.name == "traffic surge")
        #expect(matcher.match([change("disk_used"), change("errors")]).first?.pattern.name == "disk full")
        #expect(matcher.match([change("cache_misses"), change("load")]).first?.pattern.name == "cache stampede")
        // Headroom metrics read the other way round: free disk falling is a disk filling up.
        #expect(matcher.match([change("disk_free_bytes", .down), change("errors")]).first?.pattern.name == "disk full")
        #expect(matcher.match([change("disk_free_bytes", .up), change("errors")]).first?.pattern.name != "disk full")
    }

    @Test func requiredSymptomsAbsentSymptomsAndThreshold() throws {
        let patterns = try PatternLibrary.builtIn()
        let matcher = PatternMatcher(patterns: patterns, threshold: 4)
        // Below the threshold nothing counts as changed.
        #expect(matcher.match([change("cpu", z: 3)]).isEmpty)
        // Extra load contradicts cpu saturation and is reported as the reason.
        let cpu = try #require(patterns.first { $0.name == "cpu saturation" })
        let (contradicted, _) = try #require(matcher.match(cpu, [change("cpu"), change("load")]))
        #expect(contradicted.score < 0.5)
        #expect(contradicted.reasons.contains { $0.contains("not expected") })
        #expect(matcher.match(cpu, [change("latency")]) == nil)
    }

    @Test func onsetOrderAdjustsTheScore() throws {
        let patterns = try PatternLibrary.builtIn()
        let memory = try #require(patterns.first { $0.name == "memory leak" })
        let matcher = PatternMatcher(patterns: [memory])
        var mem = change("mem"), latency = change("latency")
        mem.onset = 1_000
        latency.onset = 2_000
        let inOrder = try #require(matcher.match(memory, [mem, latency])).0.score
        mem.onset = 3_000
        let reversed = try #require(matcher.match(memory, [mem, latency])).0.score
        #expect(inOrder > reversed)
    }

    @Test func globSelectors() {
        #expect(PatternMatcher.glob("*miss*", "cache_misses_total"))
        #expect(PatternMatcher.glob("db_*", "db_pool"))
        #expect(!PatternMatcher.glob("db_*", "api_db"))
        #expect(PatternMatcher.glob("exact", "exact"))
    }

    @Test func parsingReportsProblemsWithTheFile() {
        #expect(throws: DiagnosisError.invalidPattern(file: "p.yaml", message: "missing `cause`")) {
            try PatternLibrary.parse("name: x\nremediation: r\nrisk: low\nsymptoms: [{role: cpu}]", source: "p.yaml")
        }
        #expect(throws: DiagnosisError.self) {
            try PatternLibrary.parse("name: x\ncause: c\nremediation: r\nrisk: low\nsymptoms: [{role: gpu}]", source: "p.yaml")
        }
        #expect(throws: DiagnosisError.self) {
            try PatternLibrary.parse("name: x\ncause: c\nremediation: r\nrisk: extreme\nsymptoms: [{role: cpu}]", source: "p.yaml")
        }
        #expect(throws: DiagnosisError.self) {
            try PatternLibrary.parse("name: x\ncause: c\nremediation: r\nrisk: low\nsymptoms: [{role: cpu, colour: red}]", source: "p.yaml")
        }
        #expect(throws: DiagnosisError.self) { try PatternLibrary.parse("- just\n- a list", source: "p.yaml") }
    }

    @Test func userDirectoryAddsAndOverridesPatterns() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("aurora-patterns-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try """
            name: queue backlog
            cause: Consumers fall behind.
            remediation: scale-consumers
            risk: low
            symptoms:
              - metric: "*backlog*"
                direction: up
                required: true
            """.write(to: directory.appendingPathComponent("queue.yaml"), atomically: true, encoding: .utf8)
        try """
            name: memory leak
            cause: Our own words for a leak.
            remediation: recycle-pod
            risk: medium
            symptoms:
              - role: memory
                direction: up
                required: true
            """.write(to: directory.appendingPathComponent("leak.yml"), atomically: true, encoding: .utf8)
        try "ignored".write(to: directory.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
        let patterns = try PatternLibrary.load(userDirectories: [directory])
        #expect(patterns.contains { $0.name == "queue backlog" })
        let leak = try #require(patterns.first { $0.name == "memory leak" })
        #expect(leak.remediation == "recycle-pod")
        #expect(patterns.filter { $0.name == "memory leak" }.count == 1)
        #expect(throws: DiagnosisError.self) {
            try PatternLibrary.load(directory: directory.appendingPathComponent("missing"))
        }
    }
}
