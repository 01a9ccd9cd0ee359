import AuroraCore

/// VictoriaMetrics' `/api/v1/export` (and `vmctl`) writes one series per line:
/// `{"metric":{"__name__":"up","job":"node"},"values":[1,0],"timestamps":[1700000000000,1700000015000]}`.
/// The metric name is the `__name__` label; the two arrays pair up element by element.
struct ExportedLine {
    /// Offsets in the line of the `metric` object and of the two arrays (-1: absent).
    var labels = -1, values = -1, timestamps = -1
}

extension JSONLinesSink {
    mutating func appendExported(_ export: ExportedLine, line: UnsafeRawBufferPointer, number: Int) throws {
        guard let base = line.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        let expected = "(expected {\"metric\":{\"__name__\":…},\"values\":[…],\"timestamps\":[…]})"
        guard export.values >= 0 else { throw error(number, 1, "exported series has no \"values\" array \(expected)") }
        guard export.timestamps >= 0 else { throw error(number, 1, "exported series has no \"timestamps\" array \(expected)") }
        do throws(JSONCursor.Failure) {
            var labelCursor = JSONCursor(base: base, count: line.count, position: export.labels)
            var labels = try labelCursor.readLabels("metric")
            guard let named = labels.firstIndex(where: { $0.name == "__name__" }) else {
                throw JSONCursor.Failure(offset: export.labels, message: "\"metric\" has no \"__name__\" \(expected)")
            }
            let metric = labels.remove(at: named).value
            let slot = table.slot(for: SeriesKey(name: metric, labels: labels), isCounter: CounterName.declares(metric))
            var values = JSONCursor(base: base, count: line.count, position: export.values)
            var times = JSONCursor(base: base, count: line.count, position: export.timestamps)
            try values.beginArray()
            try times.beginArray()
            var firstValue = true, firstTime = true
            while true {
                let moreValues = try values.nextElement(first: &firstValue)
                let moreTimes = try times.nextElement(first: &firstTime)
                guard moreValues == moreTimes else {
                    throw (moreValues ? values : times).fail("\"values\" and \"timestamps\" differ in length (expected one value per timestamp)")
                }
                guard moreValues else { break }
                let timestamp = try times.readTimestamp()
                if let value = try values.readFlexibleNumber("value") {
                    table.append(slot: slot, timestamp: timestamp, value: value)
                } else {
                    table.countNonFinite(slot: slot)
                }
            }
        } catch let failure {
            throw error(number, failure.offset + 1, failure.message)
        }
    }
}
