/// How CSV exporters spell a sample that is not there: an empty cell (pandas, Grafana), `NA` (R),
/// `N/A`, `null` and `None` (JSON and Python converters), in any case. Such a cell is a gap in the
/// series, not a malformed row; anything else that is not a number is still an error.
enum MissingValue {
    private static let words: [[UInt8]] = ["na", "n/a", "null", "none"].map { Array($0.utf8) }

    static func matches(_ base: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        if count == 0 { return true }
        guard count <= 4 else { return false }
        return words.contains { word in
            word.count == count && word.indices.allSatisfy { (base[$0] | 0x20) == word[$0] } // `| 0x20` lowers ASCII letters
        }
    }
}
