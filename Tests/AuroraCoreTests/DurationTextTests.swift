import AuroraCore
import Testing

@Suite struct DurationTextTests {
    @Test(arguments: [
        ("300s", 300.0), ("5m", 300.0), ("1h30m", 5400.0), ("2d", 172_800.0), ("250ms", 0.25),
        ("1w", 604_800.0), ("45", 45.0), ("1.5h", 5400.0), ("1h0m30s", 3630.0),
    ])
    func parsesOperatorDurations(text: String, seconds: Double) {
        #expect(DurationText.seconds(text) == seconds)
    }

    @Test(arguments: ["", "5x", "m5", "1h30", "-5m", "5 m", "h", "1.2.3s"])
    func rejectsMalformedDurations(text: String) {
        #expect(DurationText.seconds(text) == nil)
    }

    @Test func formatsCompactly() {
        #expect(DurationText.format(300) == "5m")
        #expect(DurationText.format(5400) == "1h30m")
        #expect(DurationText.format(0.25) == "250ms")
        #expect(DurationText.format(0) == "0s")
    }
}
