import AuroraCore

/// Parsers for formats that are one JSON document (or several concatenated): the Prometheus HTTP API
/// response and CloudWatch `get-metric-data` output.
enum DocumentParsers {
    /// Runs a document parser and turns its failures into located errors (always fatal: the rest of a
    /// broken document cannot be read sensibly). A streamed input's own failure (an I/O error, corrupt
    /// or over-inflating gzip) is rethrown as it is: the text merely stopped there.
    static func parse(_ cursor: inout JSONCursor, format: MetricFormat, name: String, options: IngestOptions,
                      table: inout SeriesTable, context: inout InputContext) throws {
        cursor.skipByteOrderMark()
        var parseFailure: JSONCursor.Failure?
        do throws(JSONCursor.Failure) {
            while cursor.peek() != nil {
                if format == .prometheusJSON {
                    try prometheusResponse(&cursor, table: &table, options: options, namelessResult: namelessResult(input: name, options: options),
                                           context: &context)
                } else {
                    try cloudWatchOutput(&cursor, table: &table, context: &context)
                }
            }
        } catch let failure {
            parseFailure = failure
        }
        if let window = cursor.window {
            if let error = window.readerError { throw error }
            if window.tokenTooLong {
                let (line, column) = cursor.locate(window.start)
                throw FatalInputError(error: LocatedError(SourceLocation(file: name, line: line, column: column),
                    "a JSON string or number longer than \(window.maxTokenMegabytes) MiB (expected metric data)"))
            }
        }
        if let parseFailure {
            let (line, column) = cursor.locate(parseFailure.offset)
            throw FatalInputError(error: LocatedError(SourceLocation(file: name, line: line, column: column), parseFailure.message))
        }
        context.lines = cursor.lineCount()
    }

    /// `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{…},"values":[[t,"v"],…]}]}}`
    /// (or `"vector"` with `"value":[t,"v"]`). Timestamps are float seconds; values are strings.
    /// The name of a result without `__name__` (a `rate(…)` or `sum by (…)` query): the file's, as a NAB
    /// file names its series, so two files of different queries with the same labels stay apart;
    /// `query` for standard input; `--series` when given.
    static func namelessResult(input name: String, options: IngestOptions) -> String {
        if options.seriesName == nil && (name == "<stdin>" || name == "-") { return "query" }
        return seriesName(forInput: name, options: options)
    }

    private static func prometheusResponse(_ cursor: inout JSONCursor, table: inout SeriesTable, options: IngestOptions,
                                           namelessResult: String, context: inout InputContext) throws(JSONCursor.Failure) {
        let documentStart = cursor.position
        try cursor.beginObject("'{' starting a Prometheus API response")
        var status: String?
        var errorType = "", errorText = ""
        var first = true
        while let key = try cursor.nextKey(first: &first) {
            if cursor.equals(key, "status") {
                status = cursor.text(try cursor.readString())
            } else if cursor.equals(key, "errorType") {
                errorType = cursor.text(try cursor.readString()) ?? ""
            } else if cursor.equals(key, "error") {
                errorText = cursor.text(try cursor.readString()) ?? ""
            } else if cursor.equals(key, "data") {
                try prometheusData(&cursor, table: &table, options: options, namelessResult: namelessResult, context: &context)
            } else {
                try cursor.skipValue()
            }
        }
        if status == "error" {
            throw JSONCursor.Failure(offset: documentStart, message: "the Prometheus API answered with an error: \(errorType): \(errorText) (expected a successful query response)")
        }
        guard status != nil else {
            throw JSONCursor.Failure(offset: documentStart, message: "no \"status\" field (expected a Prometheus API response {\"status\":\"success\",\"data\":{…}})")
        }
    }

    private static func prometheusData(_ cursor: inout JSONCursor, table: inout SeriesTable, options: IngestOptions,
                                       namelessResult: String, context: inout InputContext) throws(JSONCursor.Failure) {
        try cursor.beginObject("'{' starting \"data\"")
        var resultType: String?
        var first = true
        var timestamps: [Int64] = []
        var values: [Double] = []
        while let key = try cursor.nextKey(first: &first) {
            if cursor.equals(key, "resultType") {
                let typeStart = cursor.position
                resultType = cursor.text(try cursor.readString())
                if resultType != "matrix" && resultType != "vector" {
                    throw JSONCursor.Failure(offset: typeStart, message: "result type \"\(resultType ?? "")\" holds no series (expected \"matrix\" from query_range or \"vector\" from query)")
                }
            } else if cursor.equals(key, "result") {
                try cursor.beginArray("'[' starting \"result\"")
                var firstResult = true
                while try cursor.nextElement(first: &firstResult) {
                    try cursor.beginObject("'{' starting a series of \"result\"")
                    var labels: [Label] = []
                    var metricName = namelessResult
                    timestamps.removeAll(keepingCapacity: true)
                    values.removeAll(keepingCapacity: true)
                    // Prometheus writes "metric" first, so points go straight to the series; buffered otherwise.
                    var slot: Int?
                    var firstField = true
                    while let field = try cursor.nextKey(first: &firstField) {
                        if cursor.equals(field, "metric") {
                            for label in try cursor.readLabels("\"metric\"") {
                                if label.name == "__name__" { metricName = label.value } else { labels.append(label) }
                            }
                            slot = table.slot(for: SeriesKey(name: metricName, labels: labels), isCounter: CounterName.declares(metricName))
                        } else if cursor.equals(field, "values") {
                            try cursor.beginArray("'[' starting \"values\"")
                            var firstPair = true
                            while try cursor.nextElement(first: &firstPair) {
                                let (timestamp, value) = try samplePair(&cursor)
                                if let slot { table.append(slot: slot, timestamp: timestamp, value: value) } else {
                                    timestamps.append(timestamp)
                                    values.append(value)
                                }
                            }
                        } else if cursor.equals(field, "value") {
                            let (timestamp, value) = try samplePair(&cursor)
                            timestamps.append(timestamp)
                            values.append(value)
                        } else if cursor.equals(field, "histograms") || cursor.equals(field, "histogram") {
                            context.nonNumeric += 1
                            try cursor.skipValue()
                        } else {
                            try cursor.skipValue()
                        }
                    }
                    let target = slot ?? table.slot(for: SeriesKey(name: metricName, labels: labels),
                                                    isCounter: CounterName.declares(metricName))
                    for index in timestamps.indices {
                        table.append(slot: target, timestamp: timestamps[index], value: values[index])
                    }
                }
            } else {
                try cursor.skipValue()
            }
        }
    }

    /// `[1435781430.781,"1"]`; a `null` value reads as NaN (counted and skipped like one).
    @inline(__always)
    private static func samplePair(_ cursor: inout JSONCursor) throws(JSONCursor.Failure) -> (Int64, Double) {
        try cursor.beginArray("'[' starting a [timestamp,\"value\"] pair")
        let timestamp = try cursor.readTimestamp()
        try cursor.expect(UInt8(ascii: ","), "',' between timestamp and value")
        let value = try cursor.readFlexibleNumber("value")
        try cursor.expect(UInt8(ascii: "]"), "']' closing a [timestamp,\"value\"] pair")
        return (timestamp, value ?? .nan)
    }
}
