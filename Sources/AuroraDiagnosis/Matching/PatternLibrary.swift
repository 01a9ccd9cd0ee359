import AuroraCore
import Foundation
import Yams

/// Loads diagnosis patterns from YAML: the built-in set shipped with aurora and user directories.
///
/// A pattern file:
/// ```yaml
/// name: memory leak
/// summary: Memory grows steadily until the process is killed or slows down in garbage collection.
/// cause: The service leaks memory.
/// remediation: restart-service
/// risk: low
/// symptoms:
///   - role: memory        # or metric: "*heap*"
///     direction: up
///     required: true
///     weight: 3
///   - role: latency
///     direction: up
///     weight: 0.5
///   - role: load          # contradicts the pattern when seen
///     direction: up
///     absent: true
///   # also: min-level: 0.9, min-ratio: 2
/// onset-order: [memory, latency]
/// ```
package enum PatternLibrary {
    /// The patterns shipped with aurora, sorted by name.
    package static func builtIn() throws -> [DiagnosisPattern] {
        guard let folder = Bundle.module.url(forResource: "Patterns", withExtension: nil) else {
            throw DiagnosisError.unreadablePatterns(path: "built-in", message: "the pattern resources are missing from the build")
        }
        return try load(directory: folder, sourcePrefix: "built-in:")
    }

    /// Every `*.yaml`/`*.yml` file in `directory` (not recursive), sorted by file name.
    package static func load(directory: URL, sourcePrefix: String? = nil) throws -> [DiagnosisPattern] {
        let files: [URL]
        do {
            files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
                .filter { ["yaml", "yml"].contains($0.pathExtension.lowercased()) }
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
        } catch {
            throw DiagnosisError.unreadablePatterns(path: directory.path, message: error.localizedDescription)
        }
        return try files.map { file in
            let text: String
            do { text = try String(contentsOf: file, encoding: .utf8) } catch {
                throw DiagnosisError.unreadablePatterns(path: file.path, message: error.localizedDescription)
            }
            let source = sourcePrefix.map { $0 + file.lastPathComponent } ?? file.path
            return try parse(text, source: source)
        }.sorted { $0.name < $1.name }
    }

    /// The built-in patterns, then each user directory's; a user pattern replaces a built-in one
    /// with the same name.
    package static func load(userDirectories: [URL]) throws -> [DiagnosisPattern] {
        var byName: [String: DiagnosisPattern] = [:]
        for pattern in try builtIn() { byName[pattern.name] = pattern }
        for directory in userDirectories {
            for pattern in try load(directory: directory) { byName[pattern.name] = pattern }
        }
        return byName.values.sorted { $0.name < $1.name }
    }

    /// One pattern from YAML text; `source` names it in errors.
    package static func parse(_ text: String, source: String) throws -> DiagnosisPattern {
        let loaded: Any?
        do { loaded = try Yams.load(yaml: text) } catch {
            throw DiagnosisError.invalidPattern(file: source, message: "\(error)")
        }
        guard let map = loaded as? [String: Any] else {
            throw DiagnosisError.invalidPattern(file: source, message: "expected a mapping with name, cause, remediation, risk, symptoms")
        }
        func string(_ key: String, required: Bool = true) throws -> String? {
            guard let value = map[key] else {
                if required { throw DiagnosisError.invalidPattern(file: source, message: "missing `\(key)`") }
                return nil
            }
            guard let text = value as? String else {
                throw DiagnosisError.invalidPattern(file: source, message: "`\(key)` must be text")
            }
            return text
        }
        let name = try string("name") ?? ""
        let riskText = try string("risk") ?? ""
        guard let risk = RiskTier(rawValue: riskText.lowercased()) else {
            throw DiagnosisError.invalidPattern(
                file: source, message: "unknown risk `\(riskText)`; use \(RiskTier.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let symptomList = map["symptoms"] as? [Any], !symptomList.isEmpty else {
            throw DiagnosisError.invalidPattern(file: source, message: "`symptoms` must be a non-empty list")
        }
        let symptoms = try symptomList.enumerated().map { index, item in
            try parseSymptom(item, source: "\(source): symptom \(index + 1)")
        }
        var order: [MetricRole] = []
        if let rawOrder = map["onset-order"] {
            guard let list = rawOrder as? [String] else {
                throw DiagnosisError.invalidPattern(file: source, message: "`onset-order` must be a list of roles")
            }
            order = try list.map { try role($0, source: source) }
        }
        return DiagnosisPattern(
            name: name, summary: try string("summary", required: false) ?? "", cause: try string("cause") ?? "",
            remediation: try string("remediation") ?? "", risk: risk, symptoms: symptoms, onsetOrder: order,
            source: source)
    }

    static func parseSymptom(_ item: Any, source: String) throws -> PatternSymptom {
        guard let map = item as? [String: Any] else {
            throw DiagnosisError.invalidPattern(file: source, message: "a symptom must be a mapping")
        }
        let known: Set<String> = ["role", "metric", "direction", "required", "absent", "weight", "min-level", "min-ratio"]
        if let unknown = map.keys.sorted().first(where: { !known.contains($0) }) {
            throw DiagnosisError.invalidPattern(file: source, message: "unknown field `\(unknown)`")
        }
        var symptom = PatternSymptom()
        if let text = map["role"] { symptom.role = try role("\(text)", source: source) }
        if let text = map["metric"] { symptom.metric = "\(text)" }
        guard symptom.role != nil || symptom.metric != nil else {
            throw DiagnosisError.invalidPattern(file: source, message: "needs `role` or `metric`")
        }
        if let text = map["direction"] {
            guard let direction = ChangeDirection(rawValue: "\(text)".lowercased()) else {
                throw DiagnosisError.invalidPattern(file: source, message: "direction must be up or down")
            }
            symptom.direction = direction
        }
        symptom.required = try flag(map["required"], "required", source)
        symptom.absent = try flag(map["absent"], "absent", source)
        symptom.weight = try number(map["weight"], "weight", source) ?? 1
        symptom.minimumLevel = try number(map["min-level"], "min-level", source)
        symptom.minimumRatio = try number(map["min-ratio"], "min-ratio", source)
        guard symptom.weight > 0 else {
            throw DiagnosisError.invalidPattern(file: source, message: "weight must be positive")
        }
        return symptom
    }

    static func role(_ text: String, source: String) throws -> MetricRole {
        guard let role = MetricRole(rawValue: text.lowercased()) else {
            throw DiagnosisError.invalidPattern(
                file: source, message: "unknown role `\(text)`; use \(MetricRole.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return role
    }

    static func flag(_ value: Any?, _ name: String, _ source: String) throws -> Bool {
        guard let value else { return false }
        guard let flag = value as? Bool else {
            throw DiagnosisError.invalidPattern(file: source, message: "`\(name)` must be true or false")
        }
        return flag
    }

    static func number(_ value: Any?, _ name: String, _ source: String) throws -> Double? {
        guard let value else { return nil }
        if let number = value as? Double { return number }
        if let number = value as? Int { return Double(number) }
        throw DiagnosisError.invalidPattern(file: source, message: "`\(name)` must be a number")
    }
}
