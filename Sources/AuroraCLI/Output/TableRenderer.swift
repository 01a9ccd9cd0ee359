import AuroraCore
/// Plain aligned text tables for people (stdout), like `kubectl get`. Cells pass through
/// `TerminalText.safe`: they carry series names and label values from metric files.
package struct TableRenderer {
    package let headers: [String]
    package private(set) var rows: [[String]] = []

    package init(_ headers: [String]) { self.headers = headers }

    package mutating func add(_ row: [String]) { rows.append(row.map(TerminalText.safe)) }

    package func render(style: Style = Style(enabled: false)) -> String {
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

    /// The same table for rows made on demand, made twice (once to measure the columns, once to
    /// write them) and written in blocks: a table of a million series never holds its cells.
    package static func stream(headers: [String], count: Int, style: Style = Style(enabled: false),
                              row: (Int) -> [String], emit: (String) -> Void) {
        func safeRow(_ index: Int) -> [String] { row(index).map(TerminalText.safe) }
        var widths = headers.map(\.count)
        for index in 0..<count {
            for (column, cell) in safeRow(index).enumerated() where column < widths.count {
                widths[column] = max(widths[column], cell.count)
            }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        var out = style.bold(line(headers)) + "\n"
        for index in 0..<count {
            out += line(safeRow(index)) + "\n"
            if out.utf8.count >= 1 << 20 {
                emit(out)
                out = ""
            }
        }
        emit(out)
    }
}
