import AuroraCore

extension DocumentParsers {
    /// `{"MetricDataResults":[{"Id":"m1","Label":"CPUUtilization","Timestamps":[…],"Values":[…],"StatusCode":"Complete"}],…}`
    ///
    /// The series is named after `Label` (or `Id` when the label is empty) and carries an `id` label.
    static func cloudWatchOutput(_ cursor: inout JSONCursor, table: inout SeriesTable,
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
                        identifier = try cursor.nameText(try cursor.readString(), "\"Id\"")
                    } else if cursor.equals(field, "Label") {
                        label = try cursor.nameText(try cursor.readString(), "\"Label\"")
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
