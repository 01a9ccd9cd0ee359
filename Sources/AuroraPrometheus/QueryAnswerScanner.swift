import AuroraCore

/// Reads a successful `matrix` or `vector` answer straight from its bytes: the common case of every
/// `aurora watch` pass, where Foundation's `JSONDecoder` (through `Decodable`) cost some 0.15 s of CPU
/// for the 4 MB answer of 10,000 series. Anything else — an error envelope, a scalar, a string, a
/// duplicate label, malformed JSON — gives nil, and the caller decodes with `QueryAnswerDecoder`, which
/// also names the problem: this is a shortcut to the same answer, never a second opinion.
enum QueryAnswerScanner {
    static func answer(_ body: [UInt8]) -> QueryAnswer? {
        body.withUnsafeBufferPointer { buffer in
            var scanner = Scanner(bytes: buffer)
            return scanner.envelope()
        }
    }

    struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        mutating func envelope() -> QueryAnswer? {
            var status: String?
            var series: [QueryAnswer.Series]?
            var warnings: [String] = []
            guard object({ scanner, key in
                switch key {
                case "status": status = scanner.string()
                    return status != nil
                case "data": series = scanner.data()
                    return series != nil
                case "warnings":
                    guard let list = scanner.strings() else { return false }
                    warnings = list
                    return true
                default: return scanner.skipValue()
                }
            }) else { return nil }
            skipSpace()
            guard position == bytes.count, status == "success", let series else { return nil }
            return QueryAnswer(series: series, warnings: warnings)
        }

        /// `{"resultType": "matrix"|"vector", "result": [...]}`, the type first (as Prometheus writes it).
        mutating func data() -> [QueryAnswer.Series]? {
            var type: String?
            var result: [QueryAnswer.Series]?
            guard object({ scanner, key in
                switch key {
                case "resultType":
                    type = scanner.string()
                    return type == "matrix" || type == "vector"
                case "result":
                    guard type != nil else { return false }
                    result = scanner.results()
                    return result != nil
                default: return scanner.skipValue()
                }
            }) else { return nil }
            return result
        }

        mutating func results() -> [QueryAnswer.Series]? {
            var list: [QueryAnswer.Series] = []
            guard array({ scanner in
                guard let item = scanner.result() else { return false }
                list.append(item)
                return true
            }) else { return nil }
            return list
        }

        /// One series: `metric` (labels), `values` (a matrix) or `value` (a vector); `values` wins.
        mutating func result() -> QueryAnswer.Series? {
            var labels: [String: String]?
            var values: (timestamps: [Int64], values: [Double])?
            var value: (Int64, Double)?
            guard object({ scanner, key in
                switch key {
                case "metric":
                    var found: [String: String] = [:]
                    guard scanner.object({ scanner, name in
                        guard let text = scanner.string(), found.updateValue(text, forKey: name) == nil else { return false }
                        return true
                    }) else { return false }
                    labels = found
                    return true
                case "values":
                    var stamps: [Int64] = []
                    var numbers: [Double] = []
                    guard scanner.array({ scanner in
                        guard let sample = scanner.sample() else { return false }
                        stamps.append(sample.0)
                        numbers.append(sample.1)
                        return true
                    }) else { return false }
                    values = (stamps, numbers)
                    return true
                case "value":
                    value = scanner.sample()
                    return value != nil
                default: return scanner.skipValue()
                }
            }), let labels else { return nil }
            if let values { return QueryAnswer.Series(labels: labels, timestamps: values.timestamps, values: values.values) }
            if let value { return QueryAnswer.Series(labels: labels, timestamps: [value.0], values: [value.1]) }
            return QueryAnswer.Series(labels: labels)
        }

        /// `[seconds, "value"]`, as `QueryAnswerDecoder.Sample` reads it.
        mutating func sample() -> (Int64, Double)? {
            skipSpace()
            guard take(UInt8(ascii: "[")), let seconds = number() else { return nil }
            skipSpace()
            guard take(UInt8(ascii: ",")), let text = string(), let value = QueryAnswerDecoder.value(text) else { return nil }
            skipSpace()
            guard take(UInt8(ascii: "]")) else { return nil }
            let milliseconds = (seconds * 1000).rounded()
            guard milliseconds.isFinite, Swift.abs(milliseconds) < 9.2e18 else { return nil }
            return (Int64(milliseconds), value)
        }

        mutating func strings() -> [String]? {
            var list: [String] = []
            guard array({ scanner in
                guard let text = scanner.string() else { return false }
                list.append(text)
                return true
            }) else { return nil }
            return list
        }

        /// An object whose every key `member` reads the value of; false when it or the syntax fails.
        mutating func object(_ member: (inout Scanner, String) -> Bool) -> Bool {
            skipSpace()
            guard take(UInt8(ascii: "{")) else { return false }
            skipSpace()
            if take(UInt8(ascii: "}")) { return true }
            while true {
                guard let key = string() else { return false }
                skipSpace()
                guard take(UInt8(ascii: ":")), member(&self, key) else { return false }
                skipSpace()
                if take(UInt8(ascii: ",")) { continue }
                return take(UInt8(ascii: "}"))
            }
        }

        mutating func array(_ element: (inout Scanner) -> Bool) -> Bool {
            skipSpace()
            guard take(UInt8(ascii: "[")) else { return false }
            skipSpace()
            if take(UInt8(ascii: "]")) { return true }
            while true {
                guard element(&self) else { return false }
                skipSpace()
                if take(UInt8(ascii: ",")) { continue }
                return take(UInt8(ascii: "]"))
            }
        }

        /// A JSON string, escapes resolved; nil for malformed text or invalid UTF-8 (as JSONDecoder refuses it).
        mutating func string() -> String? {
            skipSpace()
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = position
            while position < bytes.count {
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") {
                    defer { position += 1 }
                    return String(validating: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                }
                if byte == UInt8(ascii: "\\") { position = start; return escapedString() }
                if byte < 0x20 { return nil }
                position += 1
            }
            return nil
        }

        /// The slow path of `string()`, from the first character after the opening quote: finds the
        /// closing quote, then decodes what is between (`JSONStringContent`, shared with ingest).
        mutating func escapedString() -> String? {
            let start = position
            while position < bytes.count {
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") {
                    defer { position += 1 }
                    return try? JSONStringContent.decode(UnsafeBufferPointer(rebasing: bytes[start..<position]))
                }
                if byte < 0x20 { return nil }
                position += byte == UInt8(ascii: "\\") ? 2 : 1
            }
            return nil
        }

        /// A JSON number (strict grammar), as a Double.
        mutating func number() -> Double? {
            skipSpace()
            let start = position
            if peek() == UInt8(ascii: "-") { position += 1 }
            let integerStart = position
            let integerDigits = digits()
            // JSON allows no leading zero.
            guard integerDigits > 0, integerDigits == 1 || bytes[integerStart] != UInt8(ascii: "0") else { return nil }
            if peek() == UInt8(ascii: ".") {
                position += 1
                guard digits() > 0 else { return nil }
            }
            if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
                position += 1
                if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { position += 1 }
                guard digits() > 0 else { return nil }
            }
            return Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self))
        }

        mutating func digits() -> Int {
            let start = position
            while let byte = peek(), byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { position += 1 }
            return position - start
        }

        /// Skips any value (a field this reader does not use, such as native histograms).
        mutating func skipValue() -> Bool {
            skipSpace()
            switch peek() {
            case UInt8(ascii: "{"): return object { scanner, _ in scanner.skipValue() }
            case UInt8(ascii: "["): return array { scanner in scanner.skipValue() }
            case UInt8(ascii: "\""): return string() != nil
            case UInt8(ascii: "t"): return word("true")
            case UInt8(ascii: "f"): return word("false")
            case UInt8(ascii: "n"): return word("null")
            default: return number() != nil
            }
        }

        mutating func word(_ text: StaticString) -> Bool {
            let length = text.utf8CodeUnitCount
            guard bytes.count - position >= length else { return false }
            for index in 0..<length where bytes[position + index] != text.utf8Start[index] { return false }
            position += length
            return true
        }

        func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

        mutating func take(_ byte: UInt8) -> Bool {
            guard position < bytes.count, bytes[position] == byte else { return false }
            position += 1
            return true
        }

        mutating func skipSpace() {
            while position < bytes.count {
                switch bytes[position] {
                case 0x20, 0x0A, 0x0D, 0x09: position += 1
                default: return
                }
            }
        }
    }
}
