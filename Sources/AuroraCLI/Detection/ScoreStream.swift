import AuroraCore
import AuroraDetection
import Foundation

/// `--emit scores` output: NAB's results format, one CSV row per input row in input order.
///
/// Rows are scored and written a block at a time, so one NAB file streams from parser to detector to
/// output holding one chunk of points (memory stays flat however long the file), and several series
/// read whole go through the same writer.
final class ScoreStream {
    private let detection: DetectionRun
    private let output: OutputStream
    private let writer = ScoreWriter()
    private var ensemble: EnsembleDetector?
    private var ensembleKey: SeriesKey?
    private var events: [AnomalyEvent] = []
    private var scores: [Double] = []
    private var finiteValues: [Double] = []
    /// The last finite value, carried across blocks: a NaN row is scored as that value.
    private var lastFinite = 0.0

    init(detection: DetectionRun, output: OutputStream) {
        self.detection = detection
        self.output = output
    }

    /// The header line; `labelled` adds the `series` column (several series).
    func header(labelled: Bool) {
        writer.text(labelled ? "series,timestamp,value,anomaly_score\n" : "timestamp,value,anomaly_score\n")
    }

    /// Scores a block of `key`'s rows, continuing that series' detector state, and writes its rows.
    /// Blocks of one series must arrive together and in order; a new key starts fresh state.
    func write(_ key: SeriesKey, timestamps: UnsafeBufferPointer<Int64>, values: UnsafeBufferPointer<Double>,
               labelled: Bool) throws {
        if ensembleKey != key {
            ensemble = try detection.ensemble(for: key)
            ensembleKey = key
            lastFinite = 0
        }
        guard var current = ensemble else { return }
        // Hand the ensemble back after scoring so its state is not copied on write.
        ensemble = nil
        defer { ensemble = current }
        let count = timestamps.count
        if scores.count < count {
            scores = [Double](repeating: 0, count: count)
            finiteValues = [Double](repeating: 0, count: count)
        }
        events.removeAll(keepingCapacity: true)
        func score(_ scored: UnsafeBufferPointer<Double>) {
            scores.withUnsafeMutableBufferPointer { buffer in
                current.process(series: key, timestamps: timestamps, values: scored,
                                scores: UnsafeMutableBufferPointer(rebasing: buffer[0..<count]), events: &events)
            }
        }
        if isAllFinite(values) {
            score(values)
        } else {
            repair(values)
            finiteValues.withUnsafeBufferPointer { score(UnsafeBufferPointer(rebasing: $0[0..<count])) }
        }
        scores.withUnsafeBufferPointer { scores in
            writeRows(label: labelled ? key.description : nil, timestamps: timestamps, values: values,
                      scores: UnsafeBufferPointer(rebasing: scores[0..<count]))
        }
    }

    /// Writes rows already scored (series scored whole, in parallel). `label` fills the series column.
    func writeRows(label: String?, timestamps: UnsafeBufferPointer<Int64>, values: UnsafeBufferPointer<Double>,
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
    func finish() {
        flushWriter()
    }

    private func flushWriter() {
        output.write(bytes: writer.bytes)
        writer.clear()
    }

    /// Whether the block is all finite, remembering its last value for the next block's gaps.
    private func isAllFinite(_ values: UnsafeBufferPointer<Double>) -> Bool {
        var finite = true
        for value in values where !value.isFinite {
            finite = false
            break
        }
        if finite, let last = values.last { lastFinite = last }
        return finite
    }

    /// Detectors treat NaN rows as gaps: they see the previous finite value (in `finiteValues`),
    /// while the output row keeps the value as written so the row count matches the input.
    private func repair(_ values: UnsafeBufferPointer<Double>) {
        finiteValues.withUnsafeMutableBufferPointer { buffer in
            for index in values.indices {
                if values[index].isFinite { lastFinite = values[index] }
                buffer[index] = lastFinite
            }
        }
    }

    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
