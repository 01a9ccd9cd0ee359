import AuroraCore
import Yams

/// The cap on a configuration's size once YAML aliases are expanded.
///
/// An alias costs a few bytes in the file but stands for its whole anchored value wherever it is used:
/// 2,000 aliases of a 1 MiB string made a 2 GB `command` that `config check` accepted and
/// `remediate --dry-run` then rendered past 6 GB (issue 18, item 8). The walk counts every use, stops
/// as soon as the budget is spent (so a billion-laughs file costs at most the budget), and the error
/// names the place where the budget ran out.
enum ExpandedSizeLimit {
    /// 4 MiB: a configuration of hundreds of services and actions expands to tens of kilobytes.
    static let maxBytes = 4 << 20

    /// Throws when the expanded document exceeds `maxBytes`.
    static func check(_ node: Node, file: String, maxBytes: Int = maxBytes) throws {
        var budget = maxBytes
        if let exhausted = spend(node, budget: &budget) {
            let mark = exhausted.mark
            throw ConfigError(issues: [ConfigIssue(
                location: SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1), kind: .tooLarge, key: nil,
                message: "the configuration expands to more than \(maxBytes >> 20) MiB through YAML aliases "
                    + "(expected a configuration of ordinary size: each use of an alias counts its whole value)")])
        }
    }

    /// Subtracts the node's expanded size from the budget; returns the node where it ran out, or nil.
    private static func spend(_ node: Node, budget: inout Int) -> Node? {
        switch node {
        case .scalar(let scalar):
            budget -= scalar.string.utf8.count + 1
            return budget < 0 ? node : nil
        case .sequence(let sequence):
            for item in sequence {
                budget -= 2
                if let exhausted = spend(item, budget: &budget) { return exhausted }
            }
        case .mapping(let mapping):
            for pair in mapping {
                budget -= 2
                if let exhausted = spend(pair.key, budget: &budget) ?? spend(pair.value, budget: &budget) { return exhausted }
            }
        case .alias:
            budget -= 1
        }
        return budget < 0 ? node : nil
    }
}
