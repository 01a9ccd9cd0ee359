import AuroraCore
import AuroraDetection
import Foundation
import Yams

/// Reads and validates `aurora.yaml`.
package enum ConfigLoader {
    /// Validates YAML text against the schema; returns the effective configuration (defaults filled
    /// in, with the warnings about keys it accepts but ignores) or throws a `ConfigError` listing every
    /// problem as `file:line:column: message`.
    package static func load(yaml text: String, file: String, schema: ConfigType = ConfigSchema.root) throws -> Configuration {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigError(issues: issues(from: error, file: file))
        }
        if let node { try ExpandedSizeLimit.check(node, file: file) }
        var validator = Validator(file: file)
        guard let node else {
            // An empty file is a valid configuration: every default applies.
            return Configuration(root: validator.defaults(for: schema), source: file)
        }
        guard case .mapping(let mapping) = node, mapping.count == 1,
              let rootKey = mapping.first, rootKey.key.string == "aurora" else {
            let mark = node.mark
            throw ConfigError(issues: [ConfigIssue(
                location: SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1), kind: .rootKey, key: nil,
                message: "the configuration must have a single root key `aurora:`")])
        }
        let root = validator.validate(rootKey.value, as: schema, path: "aurora")
        // Relations are checked even when some keys are invalid, so that one run reports every problem;
        // the checks skip what an earlier problem could make look missing (see `ActionRules`).
        if let root { validator.checkRelations(root) }
        if !validator.issues.isEmpty {
            throw ConfigError(issues: inFileOrder(validator.issues), warnings: inFileOrder(validator.warnings))
        }
        return Configuration(root: root ?? validator.defaults(for: schema), source: file, warnings: inFileOrder(validator.warnings))
    }

    private static func inFileOrder(_ issues: [ConfigIssue]) -> [ConfigIssue] {
        issues.sorted { ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column) }
    }

    /// Loads a file; a missing file is `.noInput`.
    package static func load(path: String) throws -> Configuration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SimpleFailure(.configuration, "\(path): cannot read the configuration file: \(whyUnreadable(path))")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(issues: [ConfigIssue(location: SourceLocation(file: path, line: 1, column: 1), kind: .notUTF8,
                                                   key: nil, message: "the file is not valid UTF-8")])
        }
        return try load(yaml: text, file: path)
    }

    /// Why a configuration path cannot be read, in the operator's words.
    static func whyUnreadable(_ path: String) -> String {
        var status = stat()
        guard stat(path, &status) == 0 else { return String(cString: strerror(errno)).lowercased() }
        switch status.st_mode & S_IFMT {
        case S_IFDIR: return "it is a directory (expected a YAML file, such as \((path as NSString).appendingPathComponent("aurora.yaml")))"
        case S_IFREG: break
        default: return "it is not a regular file (expected a YAML file)"
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return String(cString: strerror(errno)).lowercased() }
        close(descriptor)
        return "reading failed"
    }

    /// The built-in defaults, for when there is no configuration file.
    package static func defaults() -> Configuration {
        var validator = Validator(file: "<defaults>")
        return Configuration(root: validator.defaults(for: ConfigSchema.root), source: nil)
    }

    /// The next line after `first` that holds the same key at the same column (a sibling in the
    /// same block mapping), or nil when the duplicate is written another way (flow style, quoted).
    private static func repeatedKeyMark(_ name: String, after first: Mark, in text: String) -> (line: Int, column: Int)? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard first.line >= 1, first.line < lines.count else { return nil }
        for number in first.line..<lines.count {
            let line = lines[number]
            let indent = line.prefix { $0 == " " }.count
            guard indent + 1 == first.column else { continue }
            let rest = line.dropFirst(indent)
            for spelling in [name, "\"\(name)\"", "'\(name)'"] where rest.hasPrefix(spelling) {
                let after = rest.dropFirst(spelling.count).drop { $0 == " " }
                if after.hasPrefix(":") { return (number + 1, indent + 1) }
            }
        }
        return nil
    }

    /// The parser stops at its first error (duplicate keys included), so there is one issue to report.
    private static func issues(from error: YamlError, file: String) -> [ConfigIssue] {
        func invalid(_ line: Int, _ column: Int, _ problem: String) -> [ConfigIssue] {
            [ConfigIssue(location: SourceLocation(file: file, line: line, column: column), kind: .invalidYAML, key: nil,
                         message: "invalid YAML: \(problem)")]
        }
        switch error {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
            return invalid(mark.line, mark.column, problem)
        case let .reader(problem, _, _, _):
            return invalid(1, 1, problem)
        case let .duplicatedKeysInMapping(duplicates, context):
            // Yams marks the first occurrence; the operator needs the repeated one.
            let name = duplicates.first ?? ""
            let first = context.mark
            let repeated = repeatedKeyMark(name, after: first, in: context.text)
            let message = "duplicate key `\(name)` (first at line \(first.line); each key may appear once in a mapping)"
            return [ConfigIssue(location: SourceLocation(file: file, line: repeated?.line ?? first.line, column: repeated?.column ?? first.column),
                                kind: .duplicateKey, key: nil, message: message)]
        default:
            return invalid(1, 1, "\(error)")
        }
    }
}

extension ConfigSchema {
    /// The default of the key at a dotted path below `aurora:` (through fixed objects), decoded as
    /// validation decodes it; nil when the schema has no such key or the key no default.
    package static func defaultValue(at path: String) -> ConfigValue? {
        guard let found = key(at: path) else { return nil }
        var validator = Validator(file: "<defaults>")
        return validator.defaults(for: found)
    }

    /// The schema's key at a dotted path below `aurora:` (through fixed objects; `*` stands for any entry
    /// of a map or list, as in `remediation.actions.*.timeout`); nil when the schema has no such key.
    package static func key(at path: String) -> ConfigKey? {
        var type = root
        var found: ConfigKey?
        for name in path.split(separator: ".") {
            switch type {
            case .object(let keys):
                guard let key = keys.first(where: { $0.name == name }) else { return nil }
                found = key
                type = key.type
            case .map(let element) where name == "*", .list(let element) where name == "*":
                found = ConfigKey(String(name), element, "")
                type = element
            default:
                return nil
            }
        }
        return found
    }
}

/// Walks a YAML node tree against the schema, collecting every problem rather than stopping at one.
private struct Validator {
    let file: String
    var issues: [ConfigIssue] = []
    /// Keys the file gives that are accepted but do nothing where they are.
    var warnings: [ConfigIssue] = []
    /// The value of each key given in the file (`aurora.watch.retention`), for problems found after the walk.
    var marks: [String: Node] = [:]
    /// The key itself of each key given in the file, entries of maps included: a problem of a block (a
    /// health check without a probe) points at the block's name, not at its first line.
    var keyMarks: [String: Node] = [:]

    init(file: String) { self.file = file }

    mutating func report(_ node: Node, _ kind: ConfigIssueKind, at key: String, _ message: String) {
        let mark = node.mark
        issues.append(ConfigIssue(location: SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1),
                                  kind: kind, key: key, message: message))
    }

    /// `inEntry` is true below an entry of a map or list (an action under `remediation.actions`): there a
    /// block the file leaves out stays out, defaults and all (see `ConfigType.object`).
    mutating func validate(_ node: Node, as type: ConfigType, path: String, inEntry: Bool = false) -> ConfigValue? {
        switch type {
        case .integer(let low, let high):
            guard let text = scalar(node, path: path, type: type) else { return nil }
            guard let value = Int(text.replacingOccurrences(of: "_", with: "")) else {
                report(node, .wrongType, at: path, "\(path): expected \(type.name), found `\(text)`"); return nil
            }
            guard value >= low && value <= high else {
                report(node, .outOfRange, at: path, "\(path): \(value) is out of range (\(low)…\(high))"); return nil
            }
            return .integer(value)
        case .number(let low, let high):
            guard let text = scalar(node, path: path, type: type) else { return nil }
            guard let value = Double(text), value.isFinite else {
                report(node, .wrongType, at: path, "\(path): expected \(type.name), found `\(text)`"); return nil
            }
            guard value >= low && value <= high else {
                report(node, .outOfRange, at: path, "\(path): \(text) is out of range (\(low)…\(high))"); return nil
            }
            return .number(value)
        case .duration:
            guard let text = scalar(node, path: path, type: type) else { return nil }
            guard let seconds = DurationText.seconds(text) else {
                report(node, .wrongType, at: path, "\(path): `\(text)` is not a duration (expected e.g. 300s, 5m, 1h30m)"); return nil
            }
            return .duration(seconds)
        case .boolean:
            guard let text = scalar(node, path: path, type: type) else { return nil }
            switch text.lowercased() {
            case "true", "yes", "on": return .boolean(true)
            case "false", "no", "off": return .boolean(false)
            default: report(node, .wrongType, at: path, "\(path): expected true or false, found `\(text)`"); return nil
            }
        case .string:
            guard let text = scalar(node, path: path, type: type) else { return nil }
            return .string(text)
        case .choice(let words):
            guard let text = scalar(node, path: path, type: type) else { return nil }
            guard words.contains(text) else {
                report(node, .invalidValue, at: path, "\(path): `\(text)` is not \(type.name)"); return nil
            }
            return .string(text)
        case .list(let element):
            guard case .sequence(let sequence) = node else {
                report(node, .wrongType, at: path, "\(path): expected a list"); return nil
            }
            var values: [ConfigValue] = []
            for (index, item) in sequence.enumerated() {
                if let value = validate(item, as: element, path: "\(path)[\(index)]", inEntry: true) { values.append(value) }
            }
            return .list(values)
        case .object(let keys):
            guard case .mapping(let mapping) = node else {
                report(node, .wrongType, at: path, "\(path): expected a mapping with keys " + keys.map(\.name).joined(separator: ", ")); return nil
            }
            var given: [String: (Node, Node)] = [:]
            for (keyNode, valueNode) in mapping {
                guard let name = keyNode.string else { report(keyNode, .wrongType, at: path, "\(path): keys must be strings"); continue }
                if given[name] != nil { report(keyNode, .duplicateKey, at: "\(path).\(name)", "\(path).\(name): duplicate key"); continue }
                if !keys.contains(where: { $0.name == name }) {
                    var message = "\(path): unknown key `\(name)`"
                    if let near = nearest(name, in: keys.map(\.name)) { message += " (did you mean `\(near)`?)" }
                    report(keyNode, .unknownKey, at: "\(path).\(name)", message)
                    continue
                }
                given[name] = (keyNode, valueNode)
            }
            var pairs: [(String, ConfigValue)] = []
            for key in keys {
                if let (keyNode, valueNode) = given[key.name] {
                    marks["\(path).\(key.name)"] = valueNode
                    keyMarks["\(path).\(key.name)"] = keyNode
                    if case .scalar(let s) = valueNode, s.string.isEmpty || s.string == "~" || s.string == "null",
                       s.style == .plain {
                        if let fallback = defaults(for: key, inEntry: inEntry) { pairs.append((key.name, fallback)) }
                        continue
                    }
                    if let value = validate(valueNode, as: key.type, path: "\(path).\(key.name)", inEntry: inEntry) {
                        pairs.append((key.name, value))
                    }
                } else if !(inEntry && key.type.isObject), let fallback = defaults(for: key, inEntry: inEntry) {
                    pairs.append((key.name, fallback))
                }
            }
            return .object(pairs)
        case .map(let element):
            guard case .mapping(let mapping) = node else {
                report(node, .wrongType, at: path, "\(path): expected a mapping"); return nil
            }
            var pairs: [(String, ConfigValue)] = []
            var seen = Set<String>()
            for (keyNode, valueNode) in mapping {
                guard let name = keyNode.string else { report(keyNode, .wrongType, at: path, "\(path): keys must be strings"); continue }
                if !seen.insert(name).inserted { report(keyNode, .duplicateKey, at: "\(path).\(name)", "\(path).\(name): duplicate key"); continue }
                keyMarks["\(path).\(name)"] = keyNode
                if let value = validate(valueNode, as: element, path: "\(path).\(name)", inEntry: true) { pairs.append((name, value)) }
            }
            return .object(pairs)
        }
    }

    /// Rules between keys. They run even when some keys are invalid: an invalid key is absent from `root`
    /// (not defaulted), so a rule reading it is skipped rather than misled.
    mutating func checkRelations(_ root: ConfigValue) {
        // Diagnosis reads `history-window` of points before an incident: pruning them sooner would leave
        // it blind (issue 16).
        if let retention = root.value(at: "watch.retention")?.seconds, retention > 0,
           let window = root.value(at: "diagnosis.history-window")?.seconds, retention < window,
           let key = ["aurora.watch.retention", "aurora.diagnosis.history-window"].first(where: { marks[$0] != nil }),
           let node = marks[key] {
            report(node, .conflict, at: key, "aurora.watch.retention: \(DurationText.format(retention)) is shorter than diagnosis.history-window "
                   + "(\(DurationText.format(window))), the history diagnosis reads before an incident: give at least "
                   + "\(DurationText.format(window)), or 0 to keep every point")
        }
        // A fault still going on is read up to one step late, and decided at a pass up to one interval later:
        // a limit within that would refuse it as stale.
        if let stale = root.value(at: "remediation.stale-after")?.seconds, stale > 0,
           let interval = root.value(at: "watch.interval")?.seconds, let step = root.value(at: "sources.prometheus.step")?.seconds,
           stale <= interval + step,
           let key = ["aurora.remediation.stale-after", "aurora.watch.interval", "aurora.sources.prometheus.step"].first(where: { marks[$0] != nil }),
           let node = marks[key] {
            report(node, .conflict, at: key, "aurora.remediation.stale-after: \(DurationText.format(stale)) is not longer than watch.interval + "
                   + "sources.prometheus.step (\(DurationText.format(interval + step))): a fault still going on can be that old when a pass "
                   + "sees it, and would never be remediated; give more, or 0 for no limit")
        }
        // A recovery sooner than the incident gap would close an incident an anomaly could still join: it
        // would open a second incident for one fault instead.
        if let recovered = root.value(at: "diagnosis.recovered-after")?.seconds, recovered > 0,
           let gap = root.value(at: "diagnosis.incident-gap")?.seconds, recovered <= gap,
           let key = ["aurora.diagnosis.recovered-after", "aurora.diagnosis.incident-gap"].first(where: { marks[$0] != nil }),
           let node = marks[key] {
            report(node, .conflict, at: key, "aurora.diagnosis.recovered-after: \(DurationText.format(recovered)) is not longer than "
                   + "diagnosis.incident-gap (\(DurationText.format(gap))): an anomaly that close would still join the incident; "
                   + "give more, or 0 never to resolve an incident by itself")
        }
        if let detection = root.value(at: "detection") { checkDetectorParameters(detection) }
        if let actions = root.value(at: "remediation.actions") {
            var rules = ActionRules(fallback: SourceLocation(file: file, line: 1, column: 1), earlierIssues: issues) { [keyMarks, file] path in
                keyMarks[path].flatMap(\.mark).map { SourceLocation(file: file, line: $0.line, column: $0.column) }
            }
            rules.check(actions: actions, at: "aurora.remediation.actions")
            issues += rules.errors
            warnings += rules.warnings
        }
    }

    /// Detector parameters valid one by one that a detector still refuses (a drift `clip` not above its
    /// `slack`, a seasonal `window` under 3): reported at the detector's block, for the section and for
    /// each override as its series would get it, instead of as a usage error when a run builds it.
    private mutating func checkDetectorParameters(_ detection: ConfigValue) {
        var base = DetectionSettings()
        for parameter in DetectorParameters.ensemble { parameter.apply(detection, to: &base.ensemble) }
        DetectorParameters.apply(detection, to: &base)
        checkDetectorParameters(base, at: "aurora.detection")
        for (index, override) in (detection["overrides"]?.list ?? []).enumerated() {
            var settings = base
            if let threshold = override["threshold"]?.double { settings.ensemble.threshold = threshold }
            DetectorParameters.apply(override, to: &settings)
            checkDetectorParameters(settings, at: "aurora.detection.overrides[\(index)]")
        }
    }

    private mutating func checkDetectorParameters(_ settings: DetectionSettings, at path: String) {
        do {
            try settings.checkParameters()
        } catch let DetectionError.invalidParameter(detector, parameter, reason) {
            // The key where the file gives it (`novelty_growth` is `novelty-growth`; of two named, `slack/clip`,
            // the one the reason is about: the last), else the detector's block, else the section.
            let block = detector == EnsembleDetector.name ? path : "\(path).\(detector)"
            let keys = parameter.split(separator: "/").reversed().map { "\(block).\($0.replacingOccurrences(of: "_", with: "-"))" }
            guard let key = (keys + [block, path, "aurora.detection.overrides", "aurora.detection"]).first(where: { marks[$0] != nil }),
                  let node = marks[key] else { return }
            report(node, .conflict, at: key, "\(block): \(parameter.replacingOccurrences(of: "_", with: "-")) \(reason)")
        } catch {
            // Only parameter errors come from building detectors; anything else is the run's to report.
        }
    }

    private mutating func scalar(_ node: Node, path: String, type: ConfigType) -> String? {
        guard case .scalar(let scalar) = node else {
            report(node, .wrongType, at: path, "\(path): expected \(type.name)")
            return nil
        }
        return scalar.string
    }

    /// The default of a key: its own, or for a block the defaults of its keys (below an entry, without
    /// the nested blocks, which appear only when the file gives them).
    mutating func defaults(for key: ConfigKey, inEntry: Bool = false) -> ConfigValue? {
        if let text = key.defaultValue {
            var quiet = Validator(file: "<defaults>")
            // Defaults are YAML text: lists are written in flow style (`[seasonal, zscore]`).
            let node = (try? Yams.compose(yaml: text)).flatMap { $0 } ?? Node(text)
            return quiet.validate(node, as: key.type, path: key.name)
        }
        if case .object = key.type {
            // A block whose keys are all optional (an HTTP probe, say) is absent, not an empty mapping.
            let filled = defaults(for: key.type, inEntry: inEntry)
            if case .object(let pairs) = filled, pairs.isEmpty { return nil }
            return filled
        }
        return nil
    }

    mutating func defaults(for type: ConfigType, inEntry: Bool = false) -> ConfigValue {
        guard case .object(let keys) = type else { return .object([]) }
        return .object(keys.compactMap { key in
            if inEntry && key.type.isObject { return nil }
            return defaults(for: key, inEntry: inEntry).map { (key.name, $0) }
        })
    }
}

/// The closest name within edit distance 2, for "did you mean" hints.
func nearest(_ word: String, in candidates: [String]) -> String? {
    candidates
        .map { ($0, EditDistance.between(word, $0)) }
        .filter { $0.1 <= 2 }
        .min { $0.1 < $1.1 }?.0
}
