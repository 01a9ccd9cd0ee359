import AuroraCore
import Foundation

/// `--emit scores` output: NAB's results format, one CSV row per input row in input order.
///
/// Rows are scored and written a block at a time, so one NAB file streams from parser to detector to
/// output holding one chunk of points (memory stays flat however long the file), and several series
/// read whole go through the same writer. Bytes go to the `write` sink given at creation (the CLI's
/// standard output, a buffer in tests) in blocks of about a megabyte.
package final class ScoreStream {
    private let detection: DetectionRun
    private let output: (UnsafeBufferPointer<UInt8>) -> Void
    private let writer = ScoreWriter()
    private var ensemble: EnsembleDetector?
    private var ensembleKey: SeriesKey?
    private var events: [AnomalyEvent] = []
    private var scores: [Double] = []
    private var filledValues: [Double] = []
    /// The gap rule's memory, carried across blocks of one series.
    private var gaps = GapFill()

    /// A stream scoring with `detection` and handing its bytes to `write`.
    package init(detection: DetectionRun, write: @escaping (UnsafeBufferPointer<UInt8>) -> Void) {
        self.detection = detection
        self.output = write
    }

    /// The header line; `labelled` adds the `series` column (several series).
    package func header(labelled: Bool) {
        writer.text(labelled ? "series,timestamp,value,anomaly_score\n" : "timestamp,value,anomaly_score\n")
    }

    /// Scores a block of `key`'s rows, continuing that series' detector state, and writes its rows.
    /// Blocks of one series must arrive together and in order; a new key starts fresh state.
    package func write(_ key: SeriesKey, timestamps: UnsafeBufferPointer<Int64>, values: UnsafeBufferPointer<Double>,
                       labelled: Bool) throws {
        if ensembleKey != key {
            ensemble = try detection.ensemble(for: key)
            ensembleKey = key
            gaps = GapFill()
        }
        guard var current = ensemble else { return }
        // Hand the ensemble back after scoring so its state is not copied on write.
        ensemble = nil
        defer { ensemble = current }
        let count = timestamps.count
        if scores.count < count {
            scores = [Double](repeating: 0, count: count)
            filledValues = [Double](repeating: 0, count: count)
        }
        events.removeAll(keepingCapacity: true)
        func score(_ scored: UnsafeBufferPointer<Double>) {
            scores.withUnsafeMutableBufferPointer { buffer in
                current.process(series: key, timestamps: timestamps, values: scored,
                                scores: UnsafeMutableBufferPointer(rebasing: buffer[0..<count]), events: &events)
            }
        }
        // Detectors see gaps filled; the output row keeps the value as written, so the row count matches.
        if gaps.isGapFree(values) {
            score(values)
        } else {
            filledValues.withUnsafeMutableBufferPointer { gaps.fill(values, into: $0) }
            filledValues.withUnsafeBufferPointer { score(UnsafeBufferPointer(rebasing: $0[0..<count])) }
        }
        scores.withUnsafeBufferPointer { scores in
            writeRows(label: labelled ? key.description : nil, timestamps: timestamps, values: values,
                      scores: UnsafeBufferPointer(rebasing: scores[0..<count]))
        }
    }

    /// Writes rows already scored (series scored whole, in parallel). `label` fills the series column.
    package func writeRows(label: String?, timestamps: UnsafeBufferPointer<Int64>, values: UnsafeBufferPointer<Double>,
                           scores: UnsafeBufferPointer<Double>) {
        let field = label.map(Self.csvField)
        for index in 0..<timestamps.count {
            if let field { writer.text(field); writer.byte(0x2C) }
            writer.timestamp(timestamps[index])
            writer.byte(0x2C)
            writer.number(values[index])
            writer.byte(0x2C)
            writer.score(index < scores.count ? scores[index] : 0)
            writer.byte(0x0A)
            if writer.isFull { flushWriter() }
        }
    }

    /// Writes what is buffered; call once at the end.
    package func finish() {
        flushWriter()
    }

    private func flushWriter() {
        output(writer.bytes)
        writer.clear()
    }

    /// A CSV field: quoted (quotes doubled) when it holds a comma, a quote or a newline.
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
