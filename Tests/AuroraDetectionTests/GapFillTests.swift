import AuroraCore
import AuroraDetection
import Testing

/// The gap rule (a non-finite row is scored as the last finite value before it) and the streaming
/// score writer that applies it block by block.
struct GapFillTests {
    static let key = SeriesKey(name: "latency", labels: ["pod": "a"])

    static func series(_ values: [Double]) -> Series {
        Series(key: key, timestamps: ConstructedSeries.timestamps(values.count), values: values)
    }

    static let cases: [(values: [Double], filled: [Double])] = [
        ([1, 2, 3], [1, 2, 3]),
        ([.nan, .nan, 5, .nan, 7, .infinity, -.infinity, 8], [0, 0, 5, 5, 7, 7, 7, 8]),
        ([4, .nan, .nan], [4, 4, 4]),
        ([], []),
    ]

    @Test(arguments: cases)
    func gapsTakeTheLastFiniteValueAndZeroBeforeTheFirst(values: [Double], expected: [Double]) {
        let filled = GapFill.filled(Self.series(values))
        #expect(filled.values == expected)
        #expect(filled.timestamps == Self.series(values).timestamps)
    }

    @Test func fillingInBlocksCarriesTheLastValueAcross() {
        let values: [Double] = [3, .nan, 9, .nan, .nan, 2, .nan]
        var gaps = GapFill()
        var blockwise: [Double] = []
        for block in [values[0..<2], values[2..<3], values[3..<5], values[5..<7]] {
            let input = Array(block)
            var output = [Double](repeating: -1, count: input.count)
            input.withUnsafeBufferPointer { input in
                if gaps.isGapFree(input) {
                    output = Array(input)
                } else {
                    output.withUnsafeMutableBufferPointer { gaps.fill(input, into: $0) }
                }
            }
            blockwise += output
        }
        #expect(blockwise == GapFill.filled(Self.series(values)).values)
        #expect(blockwise == [3, 3, 9, 9, 9, 2, 2])
    }

    /// `--emit scores` streamed in blocks (gaps across block boundaries) writes the bytes that scoring
    /// the whole series at once, gaps filled, writes; NaN rows keep their value as written.
    @Test func streamedScoresEqualScoresOfTheFilledSeries() throws {
        var values = ConstructedSeries.noise(3_000, seed: 7)
        for index in [0, 1, 999, 1_000, 1_001, 2_000, 2_999] { values[index] = .nan }
        values[1_500] += 40
        let series = Self.series(values)
        let run = try DetectionRun(emitScores: true)

        var streamed: [UInt8] = []
        let stream = ScoreStream(detection: run, write: { streamed.append(contentsOf: $0) })
        stream.header(labelled: false)
        for range in [0..<1_000, 1_000..<1_001, 1_001..<3_000] {
            let timestamps = Array(series.timestamps[range]), block = Array(series.values[range])
            try timestamps.withUnsafeBufferPointer { timestamps in
                try block.withUnsafeBufferPointer { try stream.write(Self.key, timestamps: timestamps, values: $0, labelled: false) }
            }
        }
        stream.finish()

        let whole = try run.run(GapFill.filled(series))
        var expected: [UInt8] = []
        let reference = ScoreStream(detection: run, write: { expected.append(contentsOf: $0) })
        reference.header(labelled: false)
        series.timestamps.withUnsafeBufferPointer { timestamps in
            series.values.withUnsafeBufferPointer { values in
                whole.scores.withUnsafeBufferPointer { reference.writeRows(label: nil, timestamps: timestamps, values: values, scores: $0) }
            }
        }
        reference.finish()

        #expect(streamed == expected)
        let lines = String(decoding: streamed, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 3_001)
        #expect(lines[1].contains(",nan,"))
    }
}
