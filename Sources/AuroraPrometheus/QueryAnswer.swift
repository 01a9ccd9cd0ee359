import Foundation

/// The series of one answer: each series' labels and its samples in time order. Values are kept as
/// the API sent them, `NaN` and `±Inf` included; what to do with them is the caller's choice.
package struct QueryAnswer: Sendable, Equatable {
    /// One series.
    package struct Series: Sendable, Equatable {
        /// Its labels, `__name__` included when the query keeps it.
        package var labels: [String: String]
        /// Unix milliseconds.
        package var timestamps: [Int64]
        /// Values, in step with `timestamps`.
        package var values: [Double]

        /// Creates a series.
        package init(labels: [String: String], timestamps: [Int64] = [], values: [Double] = []) {
            self.labels = labels
            self.timestamps = timestamps
            self.values = values
        }
    }

    /// The series.
    package var series: [Series]
    /// The server's warnings: when there are any, the data is partial (a store or shard did not answer).
    package var warnings: [String]

    /// Creates an answer.
    package init(series: [Series] = [], warnings: [String] = []) {
        self.series = series
        self.warnings = warnings
    }

    /// Whether the server said the data may be incomplete.
    package var isPartial: Bool { !warnings.isEmpty }

    /// Samples in all series.
    package var sampleCount: Int { series.reduce(0) { $0 + $1.values.count } }

    /// Joins the answer for a later window onto this one (series matched by their labels).
    mutating func append(_ later: QueryAnswer) {
        // The first window of a query (and a live pass's only one): nothing to match. A valid answer
        // never holds one label set twice, so the later answer is taken as it is, without hashing ten
        // thousand label dictionaries.
        if series.isEmpty && warnings.isEmpty {
            self = later
            return
        }
        var index: [[String: String]: Int] = [:]
        for (position, item) in series.enumerated() { index[item.labels] = position }
        for item in later.series {
            if let position = index[item.labels] {
                // Windows share no timestamp (the next starts one step after the last), so appending keeps order.
                series[position].timestamps += item.timestamps
                series[position].values += item.values
            } else {
                index[item.labels] = series.count
                series.append(item)
            }
        }
        for warning in later.warnings where !warnings.contains(warning) { warnings.append(warning) }
    }
}

/// Decodes the API's JSON envelope: `{"status": "success", "data": {"resultType": …, "result": […]},
/// "warnings": […]}` or `{"status": "error", "errorType": …, "error": …}`.
enum QueryAnswerDecoder {
    struct Envelope: Decodable {
        var status: String
        var data: ResultData?
        var errorType: String?
        var error: String?
        var warnings: [String]?
    }

    struct ResultData: Decodable {
        var resultType: String
        var result: [ResultSeries]

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            resultType = try container.decode(String.self, forKey: .resultType)
            switch resultType {
            case "matrix", "vector":
                result = try container.decode([ResultSeries].self, forKey: .result)
            case "scalar", "string":
                // `[time, "value"]`: one unlabelled sample.
                let sample = try container.decode(Sample.self, forKey: .result)
                result = [ResultSeries(metric: [:], values: [sample], value: nil)]
            default:
                result = []
            }
        }

        enum CodingKeys: String, CodingKey { case resultType, result }
    }

    struct ResultSeries: Decodable {
        var metric: [String: String]
        var values: [Sample]?
        var value: Sample?
    }

    /// `[1435781430.781, "1"]`: seconds as a number, the value as a string (`NaN`, `+Inf`, `-Inf` too).
    struct Sample: Decodable {
        var milliseconds: Int64
        var value: Double

        init(from decoder: any Decoder) throws {
            var container = try decoder.unkeyedContainer()
            let seconds = try container.decode(Double.self)
            milliseconds = Int64((seconds * 1000).rounded())
            let text = try container.decode(String.self)
            guard let parsed = QueryAnswerDecoder.value(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "sample value \"\(text.prefix(40))\" is not a number")
            }
            value = parsed
        }
    }

    /// A sample value as the API spells it.
    static func value(_ text: String) -> Double? {
        switch text {
        case "NaN": return .nan
        case "+Inf", "Inf": return .infinity
        case "-Inf": return -.infinity
        default: return Double(text)
        }
    }

    /// The envelope of a body, or nil when the body is not the API's JSON.
    static func envelope(_ body: [UInt8]) -> Envelope? {
        try? JSONDecoder().decode(Envelope.self, from: Data(body))
    }

    /// The answer in a successful envelope.
    static func answer(_ envelope: Envelope) -> QueryAnswer {
        let series = (envelope.data?.result ?? []).map { item in
            let samples = item.values ?? item.value.map { [$0] } ?? []
            return QueryAnswer.Series(labels: item.metric, timestamps: samples.map(\.milliseconds), values: samples.map(\.value))
        }
        return QueryAnswer(series: series, warnings: envelope.warnings ?? [])
    }
}
