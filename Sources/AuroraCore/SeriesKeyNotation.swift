extension SeriesKey {
    /// Reads a key back from its Prometheus notation, the inverse of `description`: every key satisfies
    /// `SeriesKey(notation: key.description) == key`. Nil when the text is not a notation
    /// `description` could have printed.
    ///
    /// The store keeps this text as a series' identity; reading the key back from it (rather than from
    /// a second, separator-joined copy of the labels) means no character a label may hold, a separator
    /// included, can turn one label into two.
    package init?(notation text: String) {
        var text = text
        // Over the UTF-8 bytes: every delimiter and escape is ASCII, so runs of other bytes (whole
        // characters) are copied as they are. Reading scalar by scalar was most of listing ten thousand
        // stored series.
        guard let (name, labels) = text.withUTF8({ bytes -> (String, [Label])? in
            var reader = NotationReader(bytes: bytes)
            guard let name = reader.name(until: UInt8(ascii: "{")) else { return nil }
            guard !reader.atEnd else { return (name, []) }
            reader.advance()  // the "{"
            var labels: [Label] = []
            while true {
                guard let labelName = reader.name(until: UInt8(ascii: "=")), reader.take(UInt8(ascii: "=")),
                      reader.take(UInt8(ascii: "\"")), let value = reader.quotedValue() else { return nil }
                labels.append(Label(labelName, value))
                if reader.take(UInt8(ascii: ",")) { continue }
                guard reader.take(UInt8(ascii: "}")), reader.atEnd else { return nil }
                return (name, labels)
            }
        }) else { return nil }
        // `description` prints each label name once and in order; anything else did not come from it.
        guard Label.namesStrictlyAscend(labels) else { return nil }
        self.init(name: name, labels: labels)
    }
}

/// A cursor over the UTF-8 bytes of a key's notation.
private struct NotationReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    var atEnd: Bool { index >= bytes.count }

    mutating func advance() { index += 1 }

    mutating func take(_ byte: UInt8) -> Bool {
        guard !atEnd, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// A metric or label name up to an unescaped `stop` (or the end), undoing `escapeName`.
    mutating func name(until stop: UInt8) -> String? {
        var text = TextBuilder(start: index)
        while !atEnd, bytes[index] != stop {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\") {
                guard index + 1 < bytes.count else { return nil }
                let escaped = bytes[index + 1]
                switch escaped {
                case UInt8(ascii: "n"): text.replace(bytes, upTo: index, with: 0x0A)
                case UInt8(ascii: "0"): text.replace(bytes, upTo: index, with: 0x00)
                case 0x5C, 0x7B, 0x7D, 0x3D, 0x2C, 0x22: text.replace(bytes, upTo: index, with: escaped)
                default: return nil
                }
                index += 2
                text.start = index
            } else {
                // `escapeName` escapes these; unescaped they end the name or are not a notation.
                if SeriesKey.isNameDelimiter(byte) { return nil }
                index += 1
            }
        }
        return text.string(bytes, upTo: index)
    }

    /// A label value after its opening quote, through its closing quote, undoing `escape`.
    mutating func quotedValue() -> String? {
        var text = TextBuilder(start: index)
        while !atEnd {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                let value = text.string(bytes, upTo: index)
                index += 1
                return value
            case UInt8(ascii: "\\"):
                guard index + 1 < bytes.count else { return nil }
                switch bytes[index + 1] {
                case UInt8(ascii: "\\"): text.replace(bytes, upTo: index, with: 0x5C)
                case UInt8(ascii: "\""): text.replace(bytes, upTo: index, with: 0x22)
                case UInt8(ascii: "n"): text.replace(bytes, upTo: index, with: 0x0A)
                case UInt8(ascii: "0"): text.replace(bytes, upTo: index, with: 0x00)
                default: return nil
                }
                index += 2
                text.start = index
            case 0x0A, 0x00: return nil
            default: index += 1
            }
        }
        return nil
    }
}

/// The unescaped text of a name or value: the bytes since `start`, plus what escapes replaced before it.
private struct TextBuilder {
    var start: Int
    /// Nil while nothing was unescaped: the text is then one run of the input, copied once at the end.
    var unescaped: [UInt8]?

    /// Appends the run before an escape at `end`, then the byte the escape stands for.
    mutating func replace(_ bytes: UnsafeBufferPointer<UInt8>, upTo end: Int, with byte: UInt8) {
        if unescaped == nil { unescaped = [] }
        unescaped?.append(contentsOf: bytes[start..<end])
        unescaped?.append(byte)
    }

    func string(_ bytes: UnsafeBufferPointer<UInt8>, upTo end: Int) -> String {
        let run = UnsafeBufferPointer(rebasing: bytes[start..<end])
        guard var out = unescaped else { return String(decoding: run, as: UTF8.self) }
        out.append(contentsOf: run)
        return String(decoding: out, as: UTF8.self)
    }
}
