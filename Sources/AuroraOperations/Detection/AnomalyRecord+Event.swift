import AuroraCore
import AuroraDetection
import AuroraStore
import Foundation

extension AnomalyRecord {
    /// The record of a detected event: its service is the one a rule named, else the series' label
    /// `serviceLabel`; `recorded` is when, in the data's own time, it was detected.
    init(_ event: AnomalyEvent, serviceLabel: String, recorded: Date, source: String) {
        self.init(seriesKey: event.series.description, service: event.service ?? event.series[label: serviceLabel], start: event.start,
                  end: event.end, peakTime: event.peakTimestamp, peakValue: event.peakValue,
                  expectedLow: event.expectedLow, expectedHigh: event.expectedHigh, score: event.score,
                  detectors: event.detectors.joined(separator: ","), recorded: recorded, source: source,
                  historyPoints: event.historyPoints, shortHistory: event.shortHistory, confidence: event.confidence)
    }
}
