import AuroraCore
import AuroraDetection
import Testing
@testable import AuroraOperations

/// Which way an event went, as the table, `--json` and the HTML report say it.
struct EventDirectionTests {
    @Test func aPeakOutsideTheRangeGoesTheWayItLies() {
        #expect(EventBounds.direction(peak: 12, expectedLow: 0, expectedHigh: 10, detectors: ["seasonal"]) == "up")
        #expect(EventBounds.direction(peak: -1, expectedLow: 0, expectedHigh: 10, detectors: ["drift"]) == "down")
        // No bound known on a side: the peak lies beyond it.
        #expect(EventBounds.direction(peak: 5, expectedLow: 0, expectedHigh: nil, detectors: ["seasonal"]) == "up")
        #expect(EventBounds.direction(peak: 5, expectedLow: nil, expectedHigh: 10, detectors: ["seasonal"]) == "down")
    }

    @Test func insideTheRangeADriftGoesTheSideOfItsMiddleAFreezeIsFlat() {
        // A lasting shift whose every point is unremarkable: the side of the range's middle.
        #expect(EventBounds.direction(peak: 7, expectedLow: 0, expectedHigh: 10, detectors: ["drift"]) == "up")
        #expect(EventBounds.direction(peak: 3, expectedLow: 0, expectedHigh: 10, detectors: ["seasonal", "drift"]) == "down")
        #expect(EventBounds.direction(peak: 3, expectedLow: 0, expectedHigh: 10, detectors: ["stuck"]) == "flat")
        #expect(EventBounds.direction(peak: 3, expectedLow: 0, expectedHigh: 10, detectors: ["pool-rule"]) == "within")
    }

    @Test func aDriftEventInsideItsRangeIsKeptNotSetAside() {
        let key = SeriesKey(name: "latency_ms")
        func event(_ detectors: [String]) -> AnomalyEvent {
            AnomalyEvent(series: key, start: 0, end: 0, peakTimestamp: 0, peakValue: 104, expectedLow: 85, expectedHigh: 115,
                         score: 0.5, detectors: detectors, pointCount: 1)
        }
        let series = [Series(key: key, timestamps: [0, 1], values: [100, 104])]
        let prepared = EventBounds.prepare([event(["drift"]), event(["seasonal"])], series: series)
        #expect(prepared.events.map(\.detectors) == [["drift"]])
        #expect(prepared.setAside == 1)
    }
}
