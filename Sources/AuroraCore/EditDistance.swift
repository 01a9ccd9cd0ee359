/// Levenshtein distance, for "did you mean" suggestions (commands, options, configuration keys).
package enum EditDistance {
    package static func between(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// Every candidate at the smallest distance from `word`, at most 2 and less than the word's length,
    /// in the candidates' order (`of` is as near to `on` as to `off`, and naming one would hide the other).
    package static func nearest(to word: String, in candidates: [String]) -> [String] {
        let scored = candidates.map { ($0, between(word, $0)) }.filter { $0.1 <= 2 && $0.1 < max(word.count, 1) }
        guard let best = scored.map(\.1).min() else { return [] }
        var seen = Set<String>()
        return scored.filter { $0.1 == best && seen.insert($0.0).inserted }.map(\.0)
    }
}
