/// Maps wide CSV column headers to series with a template such as `{service}_{metric}`.
///
/// Placeholders are label names; `{metric}` (or `{__name__}`) is the metric name and must appear.
/// Placeholders match at least one character, as few as possible, so with `{service}_{metric}` the
/// header `checkout_http_requests_total` is service `checkout`, metric `http_requests_total`. Two
/// placeholders must be separated by literal text, or the split would be ambiguous.
struct ColumnTemplate {
    enum Token: Equatable {
        case literal([UInt8])
        case placeholder(String)
    }

    let tokens: [Token]
    let source: String

    init(_ template: String, serviceLabel: String) throws(IngestError) {
        source = template
        var tokens: [Token] = []
        var literal: [UInt8] = []
        var bytes = Array(template.utf8)[...]
        while let byte = bytes.first {
            bytes = bytes.dropFirst()
            if byte == UInt8(ascii: "{") {
                guard let close = bytes.firstIndex(of: UInt8(ascii: "}")) else {
                    throw .invalidTemplate(template: template, reason: "unclosed '{'")
                }
                let name = String(decoding: bytes[bytes.startIndex..<close], as: UTF8.self)
                guard !name.isEmpty else { throw .invalidTemplate(template: template, reason: "empty placeholder {}") }
                if !literal.isEmpty { tokens.append(.literal(literal)) }
                literal = []
                if case .placeholder = tokens.last {
                    throw .invalidTemplate(template: template, reason: "placeholders {…}{…} need text between them")
                }
                tokens.append(.placeholder(name == "service" ? serviceLabel : name))
                bytes = bytes[(close + 1)...]
            } else {
                literal.append(byte)
            }
        }
        if !literal.isEmpty { tokens.append(.literal(literal)) }
        guard tokens.contains(.placeholder("metric")) || tokens.contains(.placeholder("__name__")) else {
            throw .invalidTemplate(template: template, reason: "no {metric} placeholder")
        }
        self.tokens = tokens
    }

    /// The metric name and labels of a header, or nil when it does not fit the template.
    func match(_ header: String) -> (name: String, labels: [(String, String)])? {
        let bytes = Array(header.utf8)
        var captures: [(String, [UInt8])] = []
        guard matchFrom(token: 0, position: 0, bytes: bytes, captures: &captures) else { return nil }
        var name = ""
        var labels: [(String, String)] = []
        for (label, value) in captures {
            let text = String(decoding: value, as: UTF8.self)
            if label == "metric" || label == "__name__" { name = text } else { labels.append((label, text)) }
        }
        return (name, labels)
    }

    private func matchFrom(token: Int, position: Int, bytes: [UInt8], captures: inout [(String, [UInt8])]) -> Bool {
        if token == tokens.count { return position == bytes.count }
        switch tokens[token] {
        case .literal(let literal):
            guard position + literal.count <= bytes.count, Array(bytes[position..<position + literal.count]) == literal else {
                return false
            }
            return matchFrom(token: token + 1, position: position + literal.count, bytes: bytes, captures: &captures)
        case .placeholder(let label):
            if token == tokens.count - 1 {
                guard position < bytes.count else { return false }
                captures.append((label, Array(bytes[position...])))
                return true
            }
            var end = position + 1
            while end <= bytes.count {
                captures.append((label, Array(bytes[position..<end])))
                if matchFrom(token: token + 1, position: end, bytes: bytes, captures: &captures) { return true }
                captures.removeLast()
                end += 1
            }
            return false
        }
    }
}
