extension SeriesKey {
    /// Reads a key back from its Prometheus notation, the inverse of `description`: every key satisfies
    /// `SeriesKey(notation: key.description) == key`. Nil when the text is not a notation
    /// `description` could have printed.
    ///
    /// The store keeps this text as a series' identity; reading the key back from it (rather than from
    /// a second, separator-joined copy of the labels) means no character a label may hold, a separator
    /// included, can turn one label into two.
    package init?(notation text: String) {
        var reader = NotationReader(Array(text.unicodeScalars))
        guard let name = reader.name(until: "{") else { return nil }
        guard !reader.atEnd else {
            self.init(name: name)
            return
        }
        reader.advance()  // the "{"
        var labels: [Label] = []
        while true {
            guard let labelName = reader.name(until: "="), reader.take("="), reader.take("\""),
                  let value = reader.quotedValue() else { return nil }
            labels.append(Label(labelName, value))
            if reader.take(",") { continue }
            guard reader.take("}"), reader.atEnd else { return nil }
            break
        }
        // `description` prints each label name once and in order; anything else did not come from it.
        guard labels.map(\.name) == labels.map(\.name).sorted(), Set(labels.map(\.name)).count == labels.count else { return nil }
        self.init(name: name, labels: labels)
    }
}

/// A cursor over the scalars of a key's notation.
private struct NotationReader {
    let scalars: [Unicode.Scalar]
    var index = 0

    init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

    var atEnd: Bool { index >= scalars.count }

    mutating func advance() { index += 1 }

    mutating func take(_ scalar: Unicode.Scalar) -> Bool {
        guard !atEnd, scalars[index] == scalar else { return false }
        index += 1
        return true
    }

    /// A metric or label name up to an unescaped `stop` (or the end), undoing `escapeName`.
    mutating func name(until stop: Unicode.Scalar) -> String? {
        var out = String.UnicodeScalarView()
        while !atEnd, scalars[index] != stop {
            let scalar = scalars[index]
            index += 1
            if scalar == "\\" {
                guard !atEnd else { return nil }
                let escaped = scalars[index]
                index += 1
                switch escaped {
                case "n": out.append("\n")
                case "0": out.append("\0")
                case "\\", "{", "}", "=", ",", "\"": out.append(escaped)
                default: return nil
                }
            } else {
                // `escapeName` escapes these; unescaped they end the name or are not a notation.
                if ["{", "}", "=", ",", "\"", "\n", "\0"].contains(scalar) { return nil }
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// A label value after its opening quote, through its closing quote, undoing `escape`.
    mutating func quotedValue() -> String? {
        var out = String.UnicodeScalarView()
        while !atEnd {
            let scalar = scalars[index]
            index += 1
            switch scalar {
            case "\"": return String(out)
            case "\\":
                guard !atEnd else { return nil }
                let escaped = scalars[index]
                index += 1
                switch escaped {
                case "\\": out.append("\\")
                case "\"": out.append("\"")
                case "n": out.append("\n")
                case "0": out.append("\0")
                default: return nil
                }
            case "\n", "\0": return nil
            default: out.append(scalar)
            }
        }
        return nil
    }
}
