import AuroraCore
/// Plain aligned text tables for people (stdout), like `kubectl get`.
public struct TableRenderer {
    public let headers: [String]
    public private(set) var rows: [[String]] = []

    public init(_ headers: [String]) { self.headers = headers }

    public mutating func add(_ row: [String]) { rows.append(row) }

    public func render(style: Style = Style(enabled: false)) -> String {
        var widths = headers.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        var out = style.bold(line(headers)) + "\n"
        for row in rows { out += line(row) + "\n" }
        return out
    }
}
