import AuroraCore
import Foundation
@testable import AuroraDiagnosis
import Testing

/// The evidence behind the confidence that must mean the same on any system: whether the change began
/// with the incident, and how many other services changed at the same time for reasons of their own.
@Suite("confidence evidence")
struct ConfidenceEvidenceTests {
    static func window() throws -> IncidentWindow { try IncidentWindow(start: windowStart, end: windowEnd, history: 3_000_000) }

    /// The timing of a step change that starts `delay` points (10 s each) after the window start.
    static func timing(delay: Int) throws -> Double {
        let window = try window()
        let change = ChangeScanner().scan([makeSeries("cpu", service: "api", changeAt: 300 + delay, change: 30)], window: window).first
        return RootCauseAnalyzer.timing(of: change, window: window, step: 10_000)
    }

    @Test func aChangeThatBeganWithTheIncidentIsOnTime() throws {
        #expect(try Self.timing(delay: 0) == 1)
        // With 10 s samples the allowance is one minute (a resource takes a few samples to climb).
        #expect(try Self.timing(delay: 6) == 1)
        // Two minutes in: one allowance late, e⁻¹.
        #expect(abs(try Self.timing(delay: 12) - exp(-1)) < 1e-9)
        #expect(try Self.timing(delay: 40) < 0.01)
    }

    @Test func theAllowanceIsTwoStepsWithSlowSampling() throws {
        let window = try Self.window()
        var change = try #require(ChangeScanner().scan([makeSeries("cpu", changeAt: 300, change: 30)], window: window).first)
        change.onset = windowStart + 120_000
        #expect(RootCauseAnalyzer.timing(of: change, window: window, step: 60_000) == 1)
        change.onset = windowStart + 240_000
        #expect(abs(RootCauseAnalyzer.timing(of: change, window: window, step: 60_000) - exp(-1)) < 1e-9)
    }

    @Test func noOnsetOrNoChangeIsNotOnTime() throws {
        let window = try Self.window()
        var change = try #require(ChangeScanner().scan([makeSeries("cpu", changeAt: 300, change: 30)], window: window).first)
        change.onset = nil
        #expect(RootCauseAnalyzer.timing(of: change, window: window, step: 10_000) == 0)
        #expect(RootCauseAnalyzer.timing(of: nil, window: window, step: 10_000) == 0)
    }

    /// api's CPU and latency jump at the incident start; `bystanders` other services' CPU moves too.
    static func diagnosis(bystanders: Int) throws -> Diagnosis {
        var series = [makeSeries("cpu", service: "api", changeAt: 300, change: 80),
                      makeSeries("latency_p99", service: "api", changeAt: 301, change: 60)]
        for index in 0..<5 {
            let service = "svc-\(index)"
            series.append(makeSeries("cpu", service: service, changeAt: index < bystanders ? 300 : nil, change: 25))
            series.append(makeSeries("latency_p99", service: service))
        }
        return try RootCauseAnalyzer(patterns: PatternLibrary.builtIn()).analyze(series, window: window())
    }

    @Test func otherServicesChangingAtTheSameTimeLowerTheConfidence() throws {
        let alone = try #require(try Self.diagnosis(bystanders: 0).top)
        let crowded = try #require(try Self.diagnosis(bystanders: 4).top)
        #expect(alone.service == "api" && crowded.service == "api")
        #expect(alone.confidenceInputs.concurrentServices == 0)
        #expect(crowded.confidenceInputs.concurrentServices == 4)
        #expect(crowded.confidence < alone.confidence - 0.01)
        #expect(crowded.evidence.contains { $0.text.hasPrefix("4 other services changed at the same time") })
        #expect(!alone.evidence.contains { $0.text.contains("changed at the same time") })
    }

    @Test func aResourceThatClimbedLaterCountsLess() throws {
        // The same CPU rise on api, at the incident start or four minutes into it (its latency moves first).
        func top(cpuAt: Int) throws -> RootCauseCandidate {
            let series = [makeSeries("cpu", service: "api", changeAt: cpuAt, change: 80),
                          makeSeries("latency_p99", service: "api", changeAt: 300, change: 60),
                          makeSeries("cpu", service: "db")]
            return try #require(try RootCauseAnalyzer(patterns: []).analyze(series, window: Self.window()).top)
        }
        let onTime = try top(cpuAt: 300), late = try top(cpuAt: 324)
        #expect(onTime.service == "api" && late.service == "api")
        #expect(onTime.confidenceInputs.resource > 0.5)
        #expect(late.confidenceInputs.resource < 0.5 * onTime.confidenceInputs.resource)
        #expect(late.confidence < onTime.confidence)
    }

    @Test func anOutboundKeyCountsAsEvidenceAboutAnotherService() throws {
        // Only web's calls to others slowed: its key change says something it calls is slow.
        let series = [makeSeries("PodClientLatencyP95(s)", service: "web", changeAt: 300, change: 30),
                      makeSeries("cpu", service: "db")]
        let top = try #require(try RootCauseAnalyzer(patterns: []).analyze(series, window: Self.window()).top)
        #expect(top.service == "web")
        #expect(top.confidenceInputs.strength > 0)
        #expect(top.confidenceInputs.strength <= 0.15 * ServiceRanker.strength(.infinity) + 1e-9)
    }

    @Test func theCountOfConcurrentServicesIsEncoded() throws {
        let top = try #require(try Self.diagnosis(bystanders: 2).top)
        let json = String(decoding: try JSONEncoder().encode(top.confidenceInputs), as: UTF8.self)
        #expect(json.contains("\"concurrent_services\":2"))
    }
}
