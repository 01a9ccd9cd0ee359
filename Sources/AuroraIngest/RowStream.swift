import AuroraCore

/// Rows of one series in the order the input holds them: a view valid only during the call that
/// receives it.
package struct RowBlock {
    /// The series the rows belong to.
    package let key: SeriesKey
    /// Unix milliseconds, as written (repeated or backwards timestamps kept).
    package let timestamps: UnsafeBufferPointer<Int64>
    /// Values, as written (NaN and ±Inf kept, so there is one value per input row).
    package let values: UnsafeBufferPointer<Double>
}

/// How `streamRows` delivered an input.
package enum StreamedRows {
    /// One series, handed over block by block while the input was read; the report counts it all.
    case streamed(SeriesKey, IngestReport)
    /// Input that can hold several series (long, wide, other formats, several files), read whole:
    /// each series' rows in file order, series sorted by key, nothing handed to the block callback.
    case whole([Series], IngestReport)
}

/// Reads an input one row per point in file order, as `readRows` does, but a NAB-layout CSV
/// (`timestamp,value`, one series by construction) is handed to `body` a chunk at a time while it is
/// parsed: a scorer can write results as it reads, holding one 4 MiB chunk of points instead of the
/// whole file. Any other input is read whole in the same single pass (standard input is never read
/// twice) and returned as `.whole`.
///
/// A malformed row throws its `LocatedError` after the blocks before it were delivered.
///
///     let delivery = try streamRows(.path("cpu.csv")) { block in
///         score(block.timestamps, block.values)
///     }
package func streamRows(_ input: InputSource, options: IngestOptions = IngestOptions(),
                       _ body: (RowBlock) throws -> Void) throws -> StreamedRows {
    var rowOptions = options
    rowOptions.keepFileOrder = true
    let files = try expand([input])
    guard files.count == 1, let file = files.first else {
        let result = try ingest(files, options: rowOptions)
        return .whole(result.series, result.report)
    }
    let stream = try openStream(file, options: rowOptions)
    var table = SeriesTable(options: rowOptions)
    var streamedSlot: Int?
    let report = try withoutActuallyEscaping(body) { body in
        try readInput(stream, options: rowOptions, table: &table) { sink in
            guard let slot = sink.singleSeriesSlot else { return }
            streamedSlot = slot
            let key = sink.table.builders[slot].key
            try sink.table.drain(slot: slot) { timestamps, values in
                try body(RowBlock(key: key, timestamps: timestamps, values: values))
            }
        }
    }
    guard let slot = streamedSlot else {
        var whole = SeriesTable(options: rowOptions)
        whole.absorb(&table, inputName: stream.name)
        let result = finishSeries(&whole, inputReports: [report], options: rowOptions)
        return .whole(result.series, result.report)
    }
    let builder = table.builders[slot]
    guard builder.accepted else {
        return .streamed(builder.key, IngestReport(inputs: [report], series: [], unmatchedSeries: 1))
    }
    let series = SeriesReport(
        key: builder.key, service: builder.key[label: rowOptions.serviceLabel], points: builder.delivered,
        skippedNonFinite: builder.nonFinite, skippedOutsideWindow: 0, duplicates: 0, wasSorted: false, counter: nil, isRate: false,
        counterResets: 0, step: nil, first: builder.deliveredRange?.lowerBound, last: builder.deliveredRange?.upperBound,
        gapCount: 0, gaps: [], inputs: [stream.name])
    return .streamed(builder.key, IngestReport(inputs: [report], series: [series], unmatchedSeries: 0))
}
