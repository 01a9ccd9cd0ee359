import AuroraCore

/// Parsers for formats that are one JSON document (or several concatenated): the Prometheus HTTP API
/// response and CloudWatch `get-metric-data` output.
enum DocumentParsers {
    /// Runs a document parser and turns its failures into located errors (always fatal: the rest of a
    /// broken document cannot be read sensibly).
    static func parse(_ bytes: UnsafeRawBufferPointer, format: MetricFormat, name: String, options: IngestOptions,
                      table: inout SeriesTable, context: inout InputContext, releasesParsedPages: Bool = false) throws {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        var start = 0
        if bytes.count >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF { start = 3 }
        var cursor = JSONCursor(base: base, count: bytes.count, position: start)
        if releasesParsedPages { cursor.releaseEvery = 16 << 20 }
        do throws(JSONCursor.Failure) {
            while cursor.peek() != nil {
                if format == .prometheusJSON {
                    try prometheusResponse(&cursor, table: &table, options: options, context: &context)
                } else {
                    try cloudWatchOutput(&cursor, table: &table, context: &context)
                }
            }
        } catch let failure {
            throw FatalInputError(error: LocatedError(TextPosition.locate(base, bytes.count, offset: failure.offset, file: name), failure.message))
        }
        context.lines = cursor.lineCount()
    }

    /// `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{…},"values":[[t,"v"],…]}]}}`
    /// (or `"vector"` with `"value":[t,"v"]`). Timestamps are float seconds; values are strings.
    private static func prometheusResponse(_ cursor: inout JSONCursor, table: inout SeriesTable, options: IngestOptions,
                                           context: inout InputContext) throws(JSONCursor.Failure) {
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
                try prometheusData(&cursor, table: &table, options: options, context: &context)
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
                                       context: inout InputContext) throws(JSONCursor.Failure) {
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
                    var metricName = options.seriesName ?? "query"
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
                            slot = table.slot(for: SeriesKey(name: metricName, labels: labels), isCounter: metricName.hasSuffix("_total"))
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
                                                    isCounter: metricName.hasSuffix("_total"))
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

    /// `{"MetricDataResults":[{"Id":"m1","Label":"CPUUtilization","Timestamps":[…],"Values":[…],"StatusCode":"Complete"}],…}`
    ///
    /// The series is named after `Label` (or `Id` when the label is empty) and carries an `id` label.
    private static func cloudWatchOutput(_ cursor: inout JSONCursor, table: inout SeriesTable,
                                         context: inout InputContext) throws(JSONCursor.Failure) {
        let documentStart = cursor.position
        try cursor.beginObject("'{' starting CloudWatch get-metric-data output")
        var first = true
        var sawResults = false
        var timestamps: [Int64] = []
        var values: [Double] = []
        while let key = try cursor.nextKey(first: &first) {
            guard cursor.equals(key, "MetricDataResults") else {
                try cursor.skipValue()
                continue
            }
            sawResults = true
            try cursor.beginArray("'[' starting \"MetricDataResults\"")
            var firstResult = true
            while try cursor.nextElement(first: &firstResult) {
                let resultStart = cursor.position
                try cursor.beginObject("'{' starting a metric data result")
                var identifier = "", label = ""
                timestamps.removeAll(keepingCapacity: true)
                values.removeAll(keepingCapacity: true)
                var firstField = true
                while let field = try cursor.nextKey(first: &firstField) {
                    if cursor.equals(field, "Id") {
                        identifier = cursor.text(try cursor.readString()) ?? ""
                    } else if cursor.equals(field, "Label") {
                        label = cursor.text(try cursor.readString()) ?? ""
                    } else if cursor.equals(field, "Timestamps") {
                        try cursor.beginArray("'[' starting \"Timestamps\"")
                        var firstItem = true
                        while try cursor.nextElement(first: &firstItem) { timestamps.append(try cursor.readTimestamp()) }
                    } else if cursor.equals(field, "Values") {
                        try cursor.beginArray("'[' starting \"Values\"")
                        var firstItem = true
                        let name = label.isEmpty ? identifier : label
                        if !timestamps.isEmpty && !name.isEmpty && values.isEmpty {
                            // The AWS CLI writes Id, Label and Timestamps first: pair values as they come.
                            let key = SeriesKey(name: name, labels: identifier.isEmpty ? [] : [Label("id", identifier)])
                            let slot = table.slot(for: key, isCounter: false)
                            table.reserve(slot: slot, count: table.builders[slot].timestamps.count + timestamps.count)
                            var paired = 0
                            while try cursor.nextElement(first: &firstItem) {
                                let valueStart = cursor.position
                                let value = try cursor.readFlexibleNumber("value") ?? .nan
                                guard paired < timestamps.count else {
                                    throw JSONCursor.Failure(offset: valueStart, message: "result \"\(identifier)\" has more values than its \(timestamps.count) timestamps (expected one value per timestamp)")
                                }
                                table.append(slot: slot, timestamp: timestamps[paired], value: value)
                                paired += 1
                            }
                            guard paired == timestamps.count else {
                                throw JSONCursor.Failure(offset: resultStart, message: "result \"\(identifier)\" has \(timestamps.count) timestamps and \(paired) values (expected one value per timestamp)")
                            }
                            timestamps.removeAll(keepingCapacity: true)
                            continue
                        }
                        while try cursor.nextElement(first: &firstItem) { values.append(try cursor.readFlexibleNumber("value") ?? .nan) }
                    } else {
                        try cursor.skipValue()
                    }
                }
                guard timestamps.count == values.count else {
                    throw JSONCursor.Failure(offset: resultStart, message: "result \"\(identifier)\" has \(timestamps.count) timestamps and \(values.count) values (expected one value per timestamp)")
                }
                let name = label.isEmpty ? identifier : label
                guard !name.isEmpty else {
                    throw JSONCursor.Failure(offset: resultStart, message: "result has neither \"Label\" nor \"Id\" (expected a name for the series)")
                }
                let key = SeriesKey(name: name, labels: identifier.isEmpty ? [] : [Label("id", identifier)])
                let slot = table.slot(for: key, isCounter: false)
                for index in timestamps.indices {
                    table.append(slot: slot, timestamp: timestamps[index], value: values[index])
                }
            }
        }
        guard sawResults else {
            throw JSONCursor.Failure(offset: documentStart, message: "no \"MetricDataResults\" (expected the output of aws cloudwatch get-metric-data)")
        }
    }
}
