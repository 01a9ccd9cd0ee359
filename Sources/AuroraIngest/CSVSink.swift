import AuroraCore
import Foundation

/// Reads the three CSV layouts. The header (line 1) decides which one, unless the format is forced:
///
/// - NAB: `timestamp,value` (two columns), or header-less `timestamp,value` rows; the series is named
///   after the file.
/// - Long: a timestamp column, a `metric` (or `name`, `__name__`, `metric_name`) column, a `value`
///   column; every other column is a label (empty cells mean the label is absent).
/// - Wide: a timestamp column and one column per series, the header naming the series plainly
///   (`cpu`), in Prometheus notation (`cpu{service="a"}`), or through the columns template.
///
/// The timestamp column is the one named `timestamp`, `time`, `ts`, `date`, `datetime`, `@timestamp`
/// or `_time` (any case), or an unnamed first column (a pandas index). The delimiter is `,`, or tab or
/// `;` when the header holds those and no comma.
struct CSVSink: LineSink {
    /// Which layout the header chose. The columns live in plain stored properties rather than enum
    /// payloads, so the per-row switch copies (and retains) nothing.
    enum Layout {
        case single
        case long
        case wide
    }

    var table: SeriesTable
    let name: String
    let options: IngestOptions
    let forced: MetricFormat?
    let seriesName: String
    let template: ColumnTemplate?
    private(set) var layout: Layout?

    /// The slot of the one series a NAB layout holds; nil until the header is read, and for layouts
    /// that may hold several series.
    var singleSeriesSlot: Int? { layout == .single ? singleSlot : nil }
    private var timestampColumn = 0
    private var valueColumn = 1
    private var metricColumn = 1
    private var singleSlot = 0
    private var labelColumns: [(column: Int, name: String)] = []
    private var wideColumns: [Int] = []
    private var wideSlots: [Int] = []
    private(set) var decided: MetricFormat = .nabCSV
    private var fields = CSVFields(delimiter: UInt8(ascii: ","))
    private var columnCount = 0
    private var headerLine = 0
    private(set) var dataRows = 0
    private var scratch: [UInt8] = []
    private var dayCache = TimestampParser.DayCache()
    private var lastLongSlot = -1

    static let timestampNames: Set<String> = ["timestamp", "time", "ts", "date", "datetime", "@timestamp", "_time", "time_stamp"]
    static let metricNames: Set<String> = ["metric", "name", "__name__", "metric_name"]

    /// Rows the input probably holds (from its size), so a single series is allocated once.
    let expectedRows: Int

    init(table: SeriesTable, name: String, options: IngestOptions, forced: MetricFormat?, seriesName: String,
         expectedRows: Int = 0) throws {
        self.expectedRows = expectedRows
        self.table = table
        self.name = name
        self.options = options
        self.forced = forced
        self.seriesName = seriesName
        template = try options.columnsTemplate.map { template throws(IngestError) in
            try ColumnTemplate(template, serviceLabel: options.serviceLabel)
        }
    }

    private func error(_ line: Int, _ column: Int, _ message: String) -> LocatedError {
        LocatedError(SourceLocation(file: name, line: line, column: column), message)
    }

    private func fatal(_ line: Int, _ column: Int, _ message: String) -> FatalInputError {
        FatalInputError(error: error(line, column, message))
    }

    mutating func consume(line: UnsafeRawBufferPointer, number: Int) throws {
        guard line.count > 0, let base = line.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        guard let layout else {
            // Comment lines before the header (some exporters write a preamble) are skipped.
            if base[0] == UInt8(ascii: "#") { return }
            try readHeader(base, line.count, number: number)
            return
        }
        dataRows += 1
        if layout == .single && timestampColumn == 0 && trySingleFast(base, line.count) { return }
        if let failure = fields.split(base, line.count) { throw error(number, failure.column, failure.message) }
        if fields.count != columnCount {
            if fields.count == 1 && fields.starts[0] == fields.ends[0] { dataRows -= 1; return } // a blank line
            let column = fields.count > columnCount ? fields.starts[columnCount] + 1 : line.count + 1
            throw error(number, column, "row has \(fields.count) fields (expected \(columnCount) as in the header on line \(headerLine))")
        }
        switch layout {
        case .single:
            let timestamp = try parseTimestamp(base, timestampColumn, number)
            let value = try parseValue(base, valueColumn, number)
            table.append(slot: singleSlot, timestamp: timestamp, value: value)
        case .long:
            let timestamp = try parseTimestamp(base, timestampColumn, number)
            let value = try parseValue(base, valueColumn, number)
            let slot = try longSlot(base, number: number)
            table.append(slot: slot, timestamp: timestamp, value: value)
        case .wide:
            let timestamp = try parseTimestamp(base, timestampColumn, number)
            for index in 0..<wideColumns.count {
                let column = wideColumns[index]
                // A missing cell is a series with no sample at this row's time: not a skipped value.
                guard let value = try parseCell(base, column, number) else { continue }
                table.append(slot: wideSlots[index], timestamp: timestamp, value: value)
            }
        }
    }

    /// The NAB hot path: `timestamp,value` without quotes or spaces, parsed without splitting into
    /// fields. Anything unusual returns false and goes through the general path, which also words the
    /// error messages.
    @inline(__always)
    private mutating func trySingleFast(_ base: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        let delimiter = fields.delimiter
        var comma = 0
        while comma < count && base[comma] != delimiter { comma += 1 }
        guard comma > 0, comma + 1 < count,
              let timestamp = TimestampParser.parse(base, comma, cache: &dayCache),
              let value = NumberParser.parseDouble(base + comma + 1, count - comma - 1)
        else { return false }
        table.append(slot: singleSlot, timestamp: timestamp, value: value)
        return true
    }

    @inline(__always)
    private mutating func parseTimestamp(_ base: UnsafePointer<UInt8>, _ column: Int, _ number: Int) throws -> Int64 {
        let start = fields.starts[column], length = fields.ends[column] - start
        guard length > 0 else { throw error(number, start + 1, "empty timestamp (\(TimestampParser.expected))") }
        guard let timestamp = TimestampParser.parse(base + start, length, cache: &dayCache) else {
            throw error(number, start + 1, "invalid timestamp \(Snippet.quote(base + start, length)) (\(TimestampParser.expected))")
        }
        return timestamp
    }

    /// A cell's number, or NaN for a missing sample, which is then counted and skipped like a NaN.
    @inline(__always)
    private func parseValue(_ base: UnsafePointer<UInt8>, _ column: Int, _ number: Int) throws -> Double {
        try parseCell(base, column, number) ?? .nan
    }

    /// A cell's number, or nil for a missing sample (an empty cell or a missing-value word: pandas writes
    /// a missing value as an empty cell, R as `NA`); anything else that is not a number is an error.
    @inline(__always)
    private func parseCell(_ base: UnsafePointer<UInt8>, _ column: Int, _ number: Int) throws -> Double? {
        let start = fields.starts[column], length = fields.ends[column] - start
        if let value = NumberParser.parseDouble(base + start, length) { return value }
        if MissingValue.matches(base + start, length) { return nil } // checked second: numbers are the hot path
        throw error(number, start + 1, "invalid value \(Snippet.quote(base + start, length)) (expected a number)")
    }

    /// The slot of a long-CSV row: the raw bytes of the metric and label cells identify the series.
    private mutating func longSlot(_ base: UnsafePointer<UInt8>, number: Int) throws -> Int {
        if lastLongSlot >= 0 && sameKeyAsLast(base) { return lastLongSlot }
        lastLongSlot = -1 // `scratch` now changes: a failure below must not leave it paired with the old slot.
        lastLongSlot = try newLongSlot(base, number: number)
        return lastLongSlot
    }

    /// Whether this row's metric and label cells are byte for byte those of the previous row (kept in
    /// `scratch`): dumps list a series' rows together, so most rows skip building and hashing a key.
    @inline(__always)
    private func sameKeyAsLast(_ base: UnsafePointer<UInt8>) -> Bool {
        scratch.withUnsafeBytes { stored -> Bool in
            guard let storedBase = stored.baseAddress else { return false }
            var offset = 0
            var column = metricColumn
            var index = -1
            while true {
                let start = fields.starts[column], length = fields.ends[column] - start
                guard offset + length <= stored.count, memcmp(storedBase + offset, base + start, length) == 0 else { return false }
                offset += length
                index += 1
                if index == labelColumns.count { break }
                guard offset < stored.count, stored[offset] == 0x1F else { return false }
                offset += 1
                column = labelColumns[index].column
            }
            return offset == stored.count
        }
    }

    private mutating func newLongSlot(_ base: UnsafePointer<UInt8>, number: Int) throws -> Int {
        let metricColumn = metricColumn
        let labels = labelColumns
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(start: base + fields.starts[metricColumn],
                                                       count: fields.ends[metricColumn] - fields.starts[metricColumn]))
        for label in labels {
            scratch.append(0x1F)
            scratch.append(contentsOf: UnsafeBufferPointer(start: base + fields.starts[label.column],
                                                           count: fields.ends[label.column] - fields.starts[label.column]))
        }
        let fieldsCopy = fields
        let fileName = name
        return try scratch.withUnsafeBytes { raw in
            try table.slot(raw: raw, hash: RawKeyHash.hash(raw.baseAddress ?? UnsafeRawPointer(base), raw.count)) {
                let metricStart = fieldsCopy.starts[metricColumn]
                guard fieldsCopy.ends[metricColumn] > metricStart else {
                    throw LocatedError(SourceLocation(file: fileName, line: number, column: metricStart + 1),
                                       "empty metric name (expected a metric name)")
                }
                guard let metric = fieldsCopy.text(metricColumn, in: base) else {
                    throw LocatedError(SourceLocation(file: fileName, line: number, column: metricStart + 1),
                                       "invalid UTF-8 in the metric name (expected UTF-8 text)")
                }
                var pairs: [Label] = []
                for label in labels where fieldsCopy.ends[label.column] > fieldsCopy.starts[label.column] {
                    guard let value = fieldsCopy.text(label.column, in: base) else {
                        throw LocatedError(SourceLocation(file: fileName, line: number, column: fieldsCopy.starts[label.column] + 1),
                                           "invalid UTF-8 in label \(label.name) (expected UTF-8 text)")
                    }
                    pairs.append(Label(label.name, value))
                }
                return (SeriesKey(name: metric, labels: pairs), CounterName.declares(metric))
            }
        }
    }

    private mutating func readHeader(_ base: UnsafePointer<UInt8>, _ length: Int, number: Int) throws {
        let line = UnsafeBufferPointer(start: base, count: length)
        let commas = line.count(where: { $0 == UInt8(ascii: ",") })
        if commas == 0 {
            if line.contains(0x09) { fields = CSVFields(delimiter: 0x09) } else if line.contains(UInt8(ascii: ";")) {
                fields = CSVFields(delimiter: UInt8(ascii: ";"))
            }
        }
        headerLine = number
        if let failure = fields.split(base, length) { throw fatal(number, failure.column, failure.message) }
        columnCount = fields.count
        // A header-less file starts with a timestamp.
        let firstLength = fields.ends[0] - fields.starts[0]
        if firstLength > 0 && TimestampParser.parse(base + fields.starts[0], firstLength) != nil {
            guard columnCount == 2 else {
                throw fatal(number, 1, "CSV without a header has \(columnCount) columns (expected a header naming the columns, or rows of timestamp,value)")
            }
            let slot = table.slot(for: SeriesKey(name: seriesName), isCounter: CounterName.declares(seriesName))
            table.reserve(slot: slot, count: expectedRows)
            (layout, singleSlot, timestampColumn, valueColumn) = (.single, slot, 0, 1)
            decided = .nabCSV
            headerLine = 0
            try consume(line: UnsafeRawBufferPointer(start: base, count: length), number: number)
            return
        }
        var names: [String] = []
        var seen: [String: Int] = [:]
        for index in 0..<fields.count {
            guard let text = fields.text(index, in: base) else {
                throw fatal(number, fields.starts[index] + 1, "invalid UTF-8 in the header (expected UTF-8 text)")
            }
            if let earlier = seen[text] {
                throw fatal(number, fields.starts[index] + 1,
                            "duplicate column name \"\(text)\" (expected unique column names; it is also column \(earlier + 1))")
            }
            seen[text] = index
            names.append(text)
        }
        let lowered = names.map { $0.lowercased() }
        guard let timestampColumn = lowered.firstIndex(where: { Self.timestampNames.contains($0) })
                ?? (names[0].isEmpty ? 0 : nil) else {
            throw fatal(number, 1, "no timestamp column in the header (expected a column named timestamp, time, ts, date or datetime)")
        }
        let valueColumn = lowered.firstIndex(of: "value")
        let metricColumn = lowered.firstIndex(where: { Self.metricNames.contains($0) })
        let variant = forced ?? (metricColumn != nil && valueColumn != nil ? .longCSV
            : (names.count == 2 && valueColumn != nil ? .nabCSV : .wideCSV))
        decided = variant
        func emptyName(_ index: Int) -> FatalInputError {
            fatal(number, fields.starts[index] + 1, "empty column name (expected a name for every column but the timestamp)")
        }
        switch variant {
        case .nabCSV:
            guard names.count == 2 else {
                throw fatal(number, 1, "NAB CSV has \(names.count) columns (expected a header timestamp,value)")
            }
            let slot = table.slot(for: SeriesKey(name: seriesName), isCounter: CounterName.declares(seriesName))
            table.reserve(slot: slot, count: expectedRows)
            (layout, singleSlot, self.timestampColumn, self.valueColumn) = (.single, slot, timestampColumn, 1 - timestampColumn)
        case .longCSV:
            guard let metricColumn, let valueColumn else {
                throw fatal(number, 1, "long CSV header lacks a \(metricColumn == nil ? "metric" : "value") column (expected timestamp,metric,value[,label…])")
            }
            var labels: [(column: Int, name: String)] = []
            for index in names.indices where index != timestampColumn && index != metricColumn && index != valueColumn {
                guard !names[index].isEmpty else { throw emptyName(index) }
                labels.append((index, names[index]))
            }
            (layout, self.timestampColumn, self.metricColumn, self.valueColumn, labelColumns) =
                (.long, timestampColumn, metricColumn, valueColumn, labels)
        default:
            guard names.count >= 2 else {
                throw fatal(number, 1, "only a timestamp column (expected one more column per series)")
            }
            var columns: [(column: Int, slot: Int)] = []
            // Sizing every column's arrays from the row estimate pays off for a few wide columns; for
            // thousands of them (a million-column export has a handful of rows) the estimate, taken
            // from a first chunk that is mostly header, would reserve far more than the file holds.
            let reserved = names.count <= 256 ? expectedRows : 0
            for index in names.indices where index != timestampColumn {
                guard !names[index].isEmpty else { throw emptyName(index) }
                let key = try wideKey(names[index], column: fields.starts[index] + 1, line: number)
                let slot = table.slot(for: key, isCounter: CounterName.declares(key.name))
                table.reserve(slot: slot, count: reserved)
                columns.append((index, slot))
            }
            (layout, self.timestampColumn) = (.wide, timestampColumn)
            wideColumns = columns.map(\.column)
            wideSlots = columns.map(\.slot)
        }
    }

    private func wideKey(_ header: String, column: Int, line: Int) throws -> SeriesKey {
        if let template {
            guard let matched = template.match(header) else {
                throw fatal(line, column, "column \"\(header)\" does not fit the columns template '\(template.source)' (expected headers such as \(template.example))")
            }
            return SeriesKey(name: matched.name, labels: matched.labels.map { Label($0.0, $0.1) })
        }
        if header.contains("{") {
            do {
                return try SeriesSelector.seriesKey(fromNotation: header, origin: name)
            } catch {
                throw fatal(line, column + error.location.column - 1,
                            "column \"\(header)\": \(error.message)")
            }
        }
        return SeriesKey(name: header)
    }

    /// Called at the end of the input: a header alone is an error.
    func finish() throws {
        if layout != nil && headerLine > 0 && dataRows == 0 {
            throw fatal(headerLine + 1, 1, "header but no data rows (expected at least one row after the header)")
        }
    }
}

extension ColumnTemplate {
    /// The template with sample words in place of placeholders, for messages.
    var example: String {
        tokens.map { token -> String in
            switch token {
            case .literal(let bytes): return String(decoding: bytes, as: UTF8.self)
            case .placeholder(let name): return name == "metric" || name == "__name__" ? "http_requests_total" : "checkout"
            }
        }.joined()
    }
}
