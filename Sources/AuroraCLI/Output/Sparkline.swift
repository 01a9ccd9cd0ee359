import Foundation

/// A one-line picture of a series (`▁▂▃█▇▂▁`), for a terminal: the eye finds a spike, a dip or a
/// step faster than it reads a table of numbers.
enum Sparkline {
    static let bars: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// Renders `values` in `width` cells. Each cell shows the value of its slice farthest from the
    /// slice-wide median, so a one-point spike survives downsampling; cells whose slice touches
    /// `highlight` (an index range into `values`) are passed through `mark` (red on a terminal).
    static func render(_ values: [Double], width: Int = 24, highlight: Range<Int>? = nil,
                       mark: (String) -> String = { $0 }) -> String {
        let finite = values.filter(\.isFinite)
        guard !finite.isEmpty, width > 0 else { return "" }
        let sorted = finite.sorted()
        let median = sorted[sorted.count / 2]
        let low = sorted.first!, high = sorted.last!
        let cells = min(width, values.count)
        var out = ""
        var marking = false
        var run = ""
        func flush() {
            guard !run.isEmpty else { return }
            out += marking ? mark(run) : run
            run = ""
        }
        for cell in 0..<cells {
            let from = cell * values.count / cells
            let to = max(from + 1, (cell + 1) * values.count / cells)
            let slice = values[from..<to].filter(\.isFinite)
            let character: Character
            if let value = slice.max(by: { abs($0 - median) < abs($1 - median) }) {
                let level = high > low ? Int(((value - low) / (high - low) * Double(bars.count - 1)).rounded()) : 0
                character = bars[min(max(level, 0), bars.count - 1)]
            } else {
                character = " "
            }
            let inside = highlight.map { $0.overlaps(from..<to) } ?? false
            if inside != marking { flush(); marking = inside }
            run.append(character)
        }
        flush()
        return out
    }
}
