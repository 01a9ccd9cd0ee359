import AuroraCore

/// NAB-layout files (`timestamp,value`) name their one series after the file, so `host1/cpu.csv` and
/// `host2/cpu.csv` both read as `cpu`. Merged, the second file's values would silently replace the
/// first's at every shared timestamp. Files that share a name are one series split by time when their
/// timestamps are (mostly) disjoint, as `2024-01/cpu.csv` and `2024-02/cpu.csv`, and are merged as
/// before; when more than half of the smaller one's timestamps also occur in another, they are different
/// series of one name, and each is told apart by a `file` label holding its path as given
/// (`cpu{file="host1/cpu.csv"}`).
enum SameNamedFiles {
    /// One NAB input read into its own table, not yet absorbed.
    struct Input {
        var name: String
        var table: SeriesTable
    }

    /// The `file` label of each input whose series must carry one, by input name: the shortest end of its
    /// path that tells it from the others of its name (`a/cpu.csv`, `b/cpu.csv`).
    static func labels(_ inputs: [Input]) -> [String: String] {
        var labels: [String: String] = [:]
        for names in overlapping(inputs).values {
            let paths = names.map { $0.split(separator: "/").map(String.init) }
            for (index, path) in paths.enumerated() {
                var length = 1
                while length < path.count && paths.indices.contains(where: { $0 != index && paths[$0].suffix(length) == path.suffix(length) }) {
                    length += 1
                }
                labels[names[index]] = path.suffix(length).joined(separator: "/")
            }
        }
        return labels
    }

    /// The inputs whose series must carry a `file` label, by the series' name (each list in reading order).
    static func overlapping(_ inputs: [Input]) -> [String: [String]] {
        var byKey: [SeriesKey: [Int]] = [:]
        for (index, input) in inputs.enumerated() {
            guard let key = input.table.builders.first?.key else { continue }
            byKey[key, default: []].append(index)
        }
        var result: [String: [String]] = [:]
        for (key, members) in byKey where members.count > 1 {
            let times = members.map { Set(inputs[$0].table.builders.first?.timestamps ?? []) }
            var clashing = Set<Int>()
            for first in times.indices {
                for second in times.indices where second > first {
                    let smaller = min(times[first].count, times[second].count)
                    if smaller > 0 && times[first].intersection(times[second]).count * 2 > smaller { clashing.formUnion([first, second]) }
                }
            }
            if !clashing.isEmpty { result[key.description] = clashing.sorted().map { inputs[members[$0]].name } }
        }
        return result
    }
}

extension SeriesTable {
    /// This one-series table with its series labelled `file="name"` (the selectors judged again).
    func labelled(file name: String) -> SeriesTable {
        var copy = SeriesTable(options: options)
        for builder in builders {
            let key = SeriesKey(name: builder.key.name, labels: builder.key.labels + [Label("file", name)])
            let slot = copy.slot(for: key, isCounter: builder.isCounter)
            var moved = builder
            moved.relabel(key, accepted: copy.builders[slot].accepted)
            copy.builders[slot] = moved
        }
        return copy
    }
}
