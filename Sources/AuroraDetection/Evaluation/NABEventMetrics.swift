/// Event-level quality at one threshold: runs of consecutive detected rows are detections; a
/// detection touching a labelled window is true; a window with a detected row is found.
///
/// Probationary rows are left out as NAB leaves them out. The delay is measured from the window's
/// start to its first detected row (NAB windows are centred on the anomaly, so a detection at the
/// anomaly itself shows a delay of about half a window).
package struct NABEventMetrics: Sendable, Equatable {
    /// Labelled windows.
    package var windows = 0
    /// Windows with at least one detected row.
    package var detectedWindows = 0
    /// Runs of consecutive detected rows.
    package var detections = 0
    /// Detections that touch a window.
    package var trueDetections = 0
    /// Sum of delays over the detected windows, milliseconds.
    private var delaySum: Double = 0

    /// True detections / detections (1 when nothing was detected: no false alarm was raised).
    package var precision: Double { detections == 0 ? 1 : Double(trueDetections) / Double(detections) }
    /// Detected windows / windows (1 when there are no windows).
    package var recall: Double { windows == 0 ? 1 : Double(detectedWindows) / Double(windows) }
    /// Harmonic mean of precision and recall.
    package var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }
    /// Mean delay from window start to first detection, milliseconds (nil when no window was found).
    package var meanDelayMilliseconds: Double? { detectedWindows == 0 ? nil : delaySum / Double(detectedWindows) }

    /// Measures a corpus at a threshold (a row is detected when its score is at least the threshold).
    package static func measure(_ files: [NABFile], threshold: Double) -> NABEventMetrics {
        var metrics = NABEventMetrics()
        for file in files {
            let rows = file.timestamps.count
            let probation = Int(NABScorer.probationaryLength(rows: rows))
            // Window row ranges located as NAB's sweeper locates them: first row with each timestamp.
            let ranges: [ClosedRange<Int>] = file.windows.compactMap { window in
                guard let left = file.timestamps.firstIndex(of: window.start),
                      let right = file.timestamps.firstIndex(of: window.end), left <= right else { return nil }
                return left...right
            }
            metrics.windows += file.windows.count
            var found = [Bool](repeating: false, count: ranges.count)
            var inDetection = false
            var detectionIsTrue = false
            for row in probation..<rows {
                let detected = row < file.scores.count && file.scores[row] >= threshold
                if detected {
                    if !inDetection { inDetection = true; detectionIsTrue = false; metrics.detections += 1 }
                    for (index, range) in ranges.enumerated() where range.contains(row) {
                        if !detectionIsTrue { detectionIsTrue = true; metrics.trueDetections += 1 }
                        if !found[index] {
                            found[index] = true
                            metrics.detectedWindows += 1
                            metrics.delaySum += Double(elapsed(file.timestamps[row], since: file.timestamps[range.lowerBound]))
                        }
                    }
                } else {
                    inDetection = false
                }
            }
        }
        return metrics
    }
}
