import AuroraCore
import Foundation

/// Reads metric inputs into series.
///
/// Each input's format is sniffed from its content unless `options.format` forces one. Files are
/// read in 4 MiB chunks; directories are read recursively for files with a known extension, in name
/// order. The same series found in several inputs is merged. Malformed input throws a `LocatedError`
/// (`file:line:column: what is wrong (what was expected)`, kind `.dataError`) unless
/// `options.skipBadLines` counts it into the report instead; problems with paths throw `IngestError`.
///
///     let result = try ingest([.path("dumps/"), .bytes(name: "<stdin>", stdinBytes)],
///                             options: IngestOptions(match: [try SeriesSelector(parsing: "cpu{service=\"api\"}")]))
///     for series in result.series { print(series.key, series.count) }
package func ingest(_ inputs: [InputSource], options: IngestOptions = IngestOptions()) throws -> IngestResult {
    guard !inputs.isEmpty else { throw IngestError.noInputs }
    var table = SeriesTable(options: options)
    var reports: [InputReport] = []
    // NAB files are absorbed last: two of one name may be different series (`SameNamedFiles`).
    var nabInputs: [SameNamedFiles.Input] = []
    for input in try expand(inputs) {
        let stream = try openStream(input, options: options)
        var inputTable = SeriesTable(options: options)
        let report = try readInput(stream, options: options, table: &inputTable)
        if report.format == .nabCSV && options.seriesName == nil {
            nabInputs.append(SameNamedFiles.Input(name: stream.name, table: inputTable))
        } else {
            table.absorb(&inputTable, inputName: stream.name)
        }
        reports.append(report)
    }
    let labels = SameNamedFiles.labels(nabInputs)
    var labelled: [String: [String]] = [:]
    for var input in nabInputs {
        if let label = labels[input.name] {
            labelled[input.table.builders.first?.key.description ?? "", default: []].append(label)
            input.table = input.table.labelled(file: label)
        }
        table.absorb(&input.table, inputName: input.name)
    }
    var result = finishSeries(&table, inputReports: reports, options: options)
    result.report.labelledByFile = labelled
    return result
}

/// Sorted series and the report, from a table holding every input.
func finishSeries(_ table: inout SeriesTable, inputReports reports: [InputReport], options: IngestOptions) -> IngestResult {
    // Finished in key order straight into the result: sorting finished series (and reports) and then
    // copying them into that order held every report twice, hundreds of bytes per series.
    table.releaseIndexes()
    let accepted = table.builders.indices.filter { table.builders[$0].accepted }
    let order = table.builders.withUnsafeBufferPointer { builders in
        accepted.sorted { builders[$0].key < builders[$1].key }
    }
    var series: [Series] = []
    var seriesReports: [SeriesReport] = []
    series.reserveCapacity(order.count)
    seriesReports.reserveCapacity(order.count)
    for index in order {
        let (finished, report) = SeriesFinisher.finish(&table.builders[index], options: options)
        series.append(finished)
        seriesReports.append(report)
    }
    let unmatched = table.builders.count - accepted.count
    table.builders.removeAll()
    return IngestResult(series: series,
                        report: IngestReport(inputs: reports, series: seriesReports, unmatchedSeries: unmatched))
}

/// Reads one NAB or long CSV series with its rows in file order: one point per input row, repeated or
/// backwards timestamps and non-finite values kept as written, so a scorer can print one output row per
/// input row. Throws `IngestError.notASingleSeries` when the input holds several series.
package func readRows(_ input: InputSource, options: IngestOptions = IngestOptions()) throws -> (series: Series, report: IngestReport) {
    var rowOptions = options
    rowOptions.keepFileOrder = true
    let result = try ingest([input], options: rowOptions)
    guard result.series.count == 1, let series = result.series.first else {
        throw IngestError.notASingleSeries(name: input.displayName, count: result.series.count)
    }
    return (series, result.report)
}

/// A stream over one file (never a directory), descriptor or bytes.
func openStream(_ input: InputSource, options: IngestOptions) throws -> ByteStream {
    switch input {
    case .path(let path): return try ByteStream(path: path, maxLineBytes: options.maxLineBytes, inflation: options.inflationLimit)
    case .descriptor(let name, let descriptor):
        return ByteStream(descriptor: descriptor, name: name, maxLineBytes: options.maxLineBytes, inflation: options.inflationLimit)
    case .bytes(let name, let bytes):
        return ByteStream(name: name, bytes: bytes, maxLineBytes: options.maxLineBytes, inflation: options.inflationLimit)
    }
}

/// Paths to files: directories are walked recursively for known extensions, sorted by path.
func expand(_ inputs: [InputSource]) throws -> [InputSource] {
    var files: [InputSource] = []
    for input in inputs {
        guard case .path(let path) = input else {
            files.append(input)
            continue
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw IngestError.missingInput(path: path) }
        guard isDirectory.boolValue else {
            files.append(input)
            continue
        }
        guard let enumerator = FileManager.default.enumerator(atPath: path) else {
            throw IngestError.unreadable(path: path, reason: "cannot list the directory")
        }
        var found: [String] = []
        while let relative = enumerator.nextObject() as? String {
            let fileExtension = (relative as NSString).pathExtension.lowercased()
            guard InputSource.knownExtensions.contains(fileExtension) else { continue }
            let full = (path as NSString).appendingPathComponent(relative)
            var childIsDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: full, isDirectory: &childIsDirectory), !childIsDirectory.boolValue {
                found.append(full)
            }
        }
        guard !found.isEmpty else { throw IngestError.emptyDirectory(path: path) }
        files.append(contentsOf: found.sorted().map { InputSource.path($0) })
    }
    return files
}

/// The series name a NAB file gives its series: the file name without directories and extension.
func seriesName(forInput name: String, options: IngestOptions) -> String {
    if let given = options.seriesName { return given }
    if name == "<stdin>" || name == "-" { return "stdin" }
    var stem = (name as NSString).lastPathComponent
    for _ in 0..<2 where !(stem as NSString).pathExtension.isEmpty {
        stem = (stem as NSString).deletingPathExtension
    }
    return stem.isEmpty ? "series" : stem
}

/// Reads one input into its own table and describes it. `afterChunk` sees the CSV sink after each
/// chunk and once at the end (other formats never call it), so a streaming reader can drain it.
func readInput(_ stream: ByteStream, options: IngestOptions, table: inout SeriesTable,
               afterChunk: ((inout CSVSink) throws -> Void)? = nil) throws -> InputReport {
    var context = InputContext(name: stream.name, options: options)
    context.inputSize = stream.fileSize
    var guess: FormatSniffer.Guess = .csv
    var expectedLines = 0
    do {
        try stream.prefix { prefix in
            if let size = stream.fileSize, let base = prefix.baseAddress, prefix.count > 0 {
                var newlines = 0
                var cursor = base
                let end = base + prefix.count
                while let hit = memchr(cursor, 0x0A, cursor.distance(to: end)) {
                    newlines += 1
                    cursor = UnsafeRawPointer(hit) + 1
                }
                // Lines in the whole file, from the average line length of the first chunk.
                if newlines > 0 { expectedLines = Int(Double(size) / (Double(prefix.count) / Double(newlines)) * 1.1) + 16 }
            }
            try FormatSniffer.refuseUnreadable(prefix, name: stream.name)
            let sniffed = try FormatSniffer.guess(prefix, name: stream.name)
            if let forced = options.format {
                guess = [.nabCSV, .longCSV, .wideCSV].contains(forced) ? .csv : .format(forced)
            } else {
                guess = sniffed
            }
        }
    } catch let fatal as FatalInputError {
        throw fatal.error
    }
    var format = options.format ?? .nabCSV
    do {
        switch guess {
        case .csv:
            var sink = try CSVSink(table: table, name: stream.name, options: options, forced: options.format,
                                   seriesName: seriesName(forInput: stream.name, options: options), expectedRows: expectedLines)
            table = SeriesTable(options: options)
            try stream.forEachLine(&sink, context: &context, afterChunk: afterChunk)
            try sink.finish()
            try afterChunk?(&sink)
            format = sink.decided
            swap(&table, &sink.table)
        case .format(let chosen):
            format = chosen
            switch chosen {
            case .prometheusJSON, .cloudWatch:
                try stream.jsonCursor { cursor in
                    try DocumentParsers.parse(&cursor, format: chosen, name: stream.name, options: options, table: &table,
                                              context: &context)
                }
                context.reportProgress(bytesRead: stream.bytesRead)
            case .exposition:
                var sink = ExpositionSink(table: table, name: stream.name, options: options)
                table = SeriesTable(options: options)
                try stream.forEachLine(&sink, context: &context)
                swap(&table, &sink.table)
                if sink.samples == 0 && context.badLines == 0 {
                    throw FatalInputError(error: LocatedError(SourceLocation(file: stream.name, line: max(context.lines, 1), column: 1),
                                                              "no samples (expected lines such as name{label=\"value\"} 1.5 1700000000000)"))
                }
            case .influx:
                var sink = InfluxSink(table: table, name: stream.name, options: options)
                table = SeriesTable(options: options)
                try stream.forEachLine(&sink, context: &context)
                context.nonNumeric += sink.nonNumeric
                swap(&table, &sink.table)
            case .jsonLines:
                var sink = JSONLinesSink(table: table, name: stream.name)
                table = SeriesTable(options: options)
                try stream.forEachLine(&sink, context: &context)
                swap(&table, &sink.table)
            case .nabCSV, .longCSV, .wideCSV:
                break
            }
        }
    } catch let fatal as FatalInputError {
        throw fatal.error
    }
    var points = 0, nonFinite = 0
    for builder in table.builders where builder.accepted {
        points += builder.timestamps.count + builder.delivered
        nonFinite += builder.nonFinite
    }
    return InputReport(name: stream.name, format: format, bytes: stream.bytesRead, lines: context.lines, points: points,
                       skippedNonFinite: nonFinite, badLines: context.badLines, badLineErrors: context.badLineErrors,
                       skippedNonNumeric: context.nonNumeric)
}
