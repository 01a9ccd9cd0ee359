import AuroraCore
import AuroraDiagnosis
import Foundation
import Yams

/// Learned patterns as YAML, in the built-in library's format (so they can be reviewed, shared and
/// dropped into `diagnosis.pattern-directories`), with a `learned:` block carrying what was learned.
package enum PatternFile {
    package static func export(_ patterns: [LearnedPattern]) -> String {
        var out = "# aurora learned patterns — review before sharing\n"
        for pattern in patterns {
            out += "---\n"
            out += "name: \(quote(pattern.name))\n"
            out += "summary: \(quote("Learned from \(pattern.occurrences) incident(s)" + (pattern.rootService.map { " rooted in \($0)" } ?? "")))\n"
            out += "cause: \(quote(pattern.cause))\n"
            out += "remediation: \(quote(pattern.remediation ?? ""))\n"
            out += "risk: \(pattern.risk.rawValue)\n"
            out += "symptoms:\n"
            var seen = Set<String>()
            for symptom in pattern.symptoms where seen.insert("\(symptom.role.rawValue)-\(symptom.direction.rawValue)").inserted {
                out += "  - role: \(symptom.role.rawValue)\n    direction: \(symptom.direction.rawValue)\n"
            }
            out += "learned:\n"
            out += "  root-service: \(quote(pattern.rootService ?? ""))\n"
            out += "  symptoms:\n"
            for symptom in pattern.symptoms {
                out += "    - { service: \(quote(symptom.service)), role: \(symptom.role.rawValue), direction: \(symptom.direction.rawValue) }\n"
            }
            out += "  occurrences: \(pattern.occurrences)\n"
            out += "  successes: \(pattern.successes)\n"
            out += "  failures: \(pattern.failures)\n"
            out += "  false-positives: \(pattern.falsePositives)\n"
            out += "  mean-recovery-seconds: \(pattern.meanRecoverySeconds)\n"
            if let confidence = pattern.diagnosisConfidence { out += "  diagnosis-confidence: \(confidence)\n" }
            out += "  first-seen: \(Int64(pattern.firstSeen.timeIntervalSince1970))\n"
            out += "  last-seen: \(Int64(pattern.lastSeen.timeIntervalSince1970))\n"
        }
        return out
    }

    /// Reads patterns written by `export` (each document is also checked as a library pattern).
    package static func parse(_ text: String, source: String) throws -> [LearnedPattern] {
        let documents: [Any]
        do { documents = try Yams.load_all(yaml: text).compactMap { $0 } } catch {
            throw SimpleFailure(.dataError, "\(source): not valid YAML (\(error))")
        }
        var patterns: [LearnedPattern] = []
        for (index, document) in documents.enumerated() {
            let label = "\(source): document \(index + 1)"
            guard let map = document as? [String: Any] else { throw SimpleFailure(.dataError, "\(label): expected a mapping") }
            let yaml = try Yams.dump(object: map)
            let library: DiagnosisPattern
            do { library = try PatternLibrary.parse(yaml, source: label) } catch {
                throw SimpleFailure(.dataError, "\(error)")
            }
            let learned = map["learned"] as? [String: Any] ?? [:]
            var symptoms: [Symptom] = []
            for item in learned["symptoms"] as? [[String: Any]] ?? [] {
                guard let service = item["service"] as? String,
                      let role = (item["role"] as? String).flatMap(MetricRole.init(rawValue:)),
                      let direction = (item["direction"] as? String).flatMap(ChangeDirection.init(rawValue:)) else {
                    throw SimpleFailure(.dataError, "\(label): learned.symptoms entries need service, role and direction")
                }
                symptoms.append(Symptom(service: service, role: role, direction: direction))
            }
            guard !symptoms.isEmpty else { throw SimpleFailure(.dataError, "\(label): learned.symptoms is missing or empty") }
            func int(_ key: String) -> Int { learned[key] as? Int ?? 0 }
            let root = (learned["root-service"] as? String).flatMap { $0.isEmpty ? nil : $0 }
            patterns.append(LearnedPattern(
                name: library.name, symptoms: symptoms, rootService: root, cause: library.cause,
                remediation: library.remediation.isEmpty ? nil : library.remediation, risk: library.risk,
                occurrences: max(1, int("occurrences")), successes: int("successes"), failures: int("failures"),
                falsePositives: int("false-positives"),
                meanRecoverySeconds: (learned["mean-recovery-seconds"] as? Double) ?? Double(int("mean-recovery-seconds")),
                diagnosisConfidence: (learned["diagnosis-confidence"] as? Double).map { min(1, max(0, $0)) },
                firstSeen: Date(timeIntervalSince1970: Double(int("first-seen"))),
                lastSeen: Date(timeIntervalSince1970: Double(int("last-seen")))))
        }
        return patterns
    }

    static func quote(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }
}
