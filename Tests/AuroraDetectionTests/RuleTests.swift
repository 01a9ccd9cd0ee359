import AuroraCore
import Testing
@testable import AuroraDetection

/// Configured rules: thresholds with `for:`, rate of change, absent data, patterns.
struct RuleTests {
    static let identity = RuleIdentity(name: "checkout-latency", severity: .critical, service: "checkout")
    static let minute: Int64 = 60_000

    static func run(_ rule: some Rule, values: [Double], timestamps: [Int64]? = nil) -> [Double] {
        var detector: any Detector = rule
        let times = timestamps ?? (0..<values.count).map { Int64($0) * minute }
        return ConstructedSeries.score(&detector, times, values)
    }

    @Test
    func thresholdFiresOnlyAfterTheConditionHeldForTheDuration() throws {
        let rule = try ThresholdRule(identity: Self.identity, condition: .above(10), forDuration: 3 * Self.minute)
        // Above 10 at minutes 2–3 (too short), then from minute 6 on.
        let scores = Self.run(rule, values: [1, 1, 11, 12, 1, 1, 11, 11, 11, 11, 11, 1])
        #expect(scores == [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0])
    }

    @Test
    func thresholdBelowAndOutside() throws {
        let below = try ThresholdRule(identity: Self.identity, condition: .below(0))
        #expect(Self.run(below, values: [1, -1, 0]) == [0, 1, 0])
        let outside = try ThresholdRule(identity: Self.identity, condition: .outside(low: 0, high: 10))
        #expect(Self.run(outside, values: [-1, 5, 11, 10, .nan]) == [1, 0, 1, 0, 0])
        #expect(throws: DetectionError.self) { try ThresholdRule(identity: Self.identity, condition: .outside(low: 5, high: 1)) }
    }

    @Test
    func aMissingSampleResetsThePendingDuration() throws {
        let rule = try ThresholdRule(identity: Self.identity, condition: .above(10), forDuration: 2 * Self.minute)
        #expect(Self.run(rule, values: [11, 11, .nan, 11, 11, 11]) == [0, 0, 0, 0, 0, 1])
    }

    @Test
    func rateOfChangeUsesTimeNotRows() throws {
        let rule = try RateOfChangeRule(identity: Self.identity, maximumPerSecond: 1, direction: .increase)
        // +120 over one minute is 2/s (fires); +120 over three minutes is 0.67/s; a drop never fires.
        let times: [Int64] = [0, 60_000, 240_000, 300_000, 300_000]
        #expect(Self.run(rule, values: [0, 120, 240, 0, 500], timestamps: times) == [0, 1, 0, 0, 0])
        let either = try RateOfChangeRule(identity: Self.identity, maximumPerSecond: 1)
        #expect(Self.run(either, values: [0, 120, 240, 0], timestamps: Array(times[0..<4])) == [0, 1, 0, 1])
    }

    @Test
    func absentDataFlagsThePointAfterTheGapAndReportsSilence() throws {
        let rule = try AbsentDataRule(identity: Self.identity, maximumGap: 5 * Self.minute)
        let times: [Int64] = [0, 60_000, 120_000, 900_000, 960_000]
        #expect(Self.run(rule, values: [1, 1, 1, 1, 1], timestamps: times) == [0, 0, 0, 1, 0])
        #expect(rule.isAbsent(lastSeen: 960_000, at: 960_000 + 6 * Self.minute))
        #expect(!rule.isAbsent(lastSeen: 960_000, at: 960_000 + 4 * Self.minute))
        #expect(rule.isAbsent(lastSeen: nil, at: 0))
    }

    @Test
    func patternMatchesLabelsAndValueText() throws {
        let rule = try PatternRule(identity: Self.identity, labelPatterns: ["code": "5.."], valuePattern: "50[34]")
        #expect(rule.applies(to: SeriesKey(name: "http_status", labels: ["code": "503"])))
        #expect(!rule.applies(to: SeriesKey(name: "http_status", labels: ["code": "200"])))
        #expect(!rule.applies(to: SeriesKey(name: "http_status")))
        #expect(Self.run(rule, values: [200, 503, 504, 503.5, .nan]) == [0, 1, 1, 0, 0])
        #expect(throws: DetectionError.self) { try PatternRule(identity: Self.identity, valuePattern: "([") }
    }

    @Test
    func matcherSelectsByMetricAndLabels() {
        let matcher = SeriesMatcher(metric: "latency", labels: ["service": "checkout"])
        #expect(matcher.matches(SeriesKey(name: "latency", labels: ["service": "checkout", "pod": "a"])))
        #expect(!matcher.matches(SeriesKey(name: "latency", labels: ["service": "cart"])))
        #expect(!matcher.matches(SeriesKey(name: "errors", labels: ["service": "checkout"])))
    }

    @Test
    func ruleStateContinuesAcrossRuns() throws {
        var first = try ThresholdRule(identity: Self.identity, condition: .above(10), forDuration: 2 * Self.minute)
        var detector: any Detector = first
        _ = ConstructedSeries.score(&detector, [0, 60_000], [11, 11])
        first = detector as! ThresholdRule
        var second = try ThresholdRule(identity: Self.identity, condition: .above(10), forDuration: 2 * Self.minute)
        try second.restoreState(try first.saveState())
        #expect(Self.run(second, values: [11], timestamps: [120_000]) == [1])
    }
}
