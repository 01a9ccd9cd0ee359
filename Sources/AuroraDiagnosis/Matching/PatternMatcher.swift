import Foundation

/// Scores patterns against the changes seen on one service.
package struct PatternMatcher: Sendable {
    /// The patterns to match.
    package var patterns: [DiagnosisPattern]
    /// Sustained z-score from which a series counts as changed.
    package var threshold: Double

    /// Creates the value from its parts.
    package init(patterns: [DiagnosisPattern], threshold: Double = 4) {
        self.patterns = patterns
        self.threshold = threshold
    }

    /// Matches with a score above zero, best first (ties: more matched weight, then name).
    package func match(_ changes: [SeriesChange]) -> [PatternMatch] {
        var matches: [(PatternMatch, Double)] = []
        for pattern in patterns {
            if let result = match(pattern, changes) { matches.append(result) }
        }
        return matches.sorted {
            ($0.0.score, $0.1, $1.0.pattern.name) > ($1.0.score, $1.1, $0.0.pattern.name)
        }.map(\.0)
    }

    /// One pattern against the changes; nil when a required symptom is missing.
    func match(_ pattern: DiagnosisPattern, _ changes: [SeriesChange]) -> (PatternMatch, Double)? {
        var total = 0.0, matched = 0.0
        var reasons: [String] = []
        var penalty = 1.0
        // The strongest change whose role is known: a pattern must explain it, not a side effect
        // (memory creeping up beside a CPU hog does not make a memory leak).
        let dominant = changes.filter { $0.magnitude >= threshold && ![.other, .host].contains($0.identity.role) }
            .map(\.magnitude).max() ?? 0
        for symptom in pattern.symptoms {
            let seen = changes.filter { satisfies($0, symptom) }.max { $0.magnitude < $1.magnitude }
            if symptom.required, let seen, Self.strength(seen.magnitude) < 0.5 * Self.strength(dominant) {
                return nil
            }
            if symptom.absent {
                if let seen {
                    penalty *= 0.2
                    reasons.append("not expected, but \(seen.identity.metric) \(seen.direction.rawValue) (z \(Self.format(seen.magnitude)))")
                }
                continue
            }
            total += symptom.weight
            if let seen {
                matched += symptom.weight
                reasons.append("\(seen.identity.metric) \(seen.direction.rawValue) (z \(Self.format(seen.magnitude))) matches \(symptom.text)")
            } else if symptom.required {
                return nil
            }
        }
        guard total > 0, matched > 0 else { return nil }
        var score = matched / total * penalty
        if pattern.onsetOrder.count >= 2 {
            let onsets = pattern.onsetOrder.map { role in
                changes.filter { $0.identity.role == role && $0.magnitude >= threshold }.compactMap(\.onset).min()
            }
            let known = onsets.compactMap { $0 }
            if known.count == onsets.count {
                if known == known.sorted() {
                    score = min(1, score + 0.1)
                    reasons.append("onset order \(pattern.onsetOrder.map(\.rawValue).joined(separator: " → ")) as expected")
                } else {
                    score *= 0.8
                    reasons.append("onset order differs from \(pattern.onsetOrder.map(\.rawValue).joined(separator: " → "))")
                }
            }
        }
        return (PatternMatch(pattern: pattern, score: score, reasons: reasons), matched)
    }

    func satisfies(_ change: SeriesChange, _ symptom: PatternSymptom) -> Bool {
        guard change.magnitude >= threshold else { return false }
        if let role = symptom.role, change.identity.role != role { return false }
        if let metric = symptom.metric, !Self.glob(metric.lowercased(), change.identity.metric.lowercased()) { return false }
        if let direction = symptom.direction, change.pressure != direction { return false }
        // Levels are in the metric's own unit; for a headroom metric they say nothing of usage.
        if let minimum = symptom.minimumLevel, change.identity.inverted || !(change.level >= minimum) { return false }
        if let ratio = symptom.minimumRatio, change.identity.inverted || !(change.ratio >= ratio) { return false }
        return true
    }

    /// The size of a change as evidence, saturating (see `ServiceRanker.strength`).
    static func strength(_ z: Double) -> Double { ServiceRanker.strength(z) }

    /// `*` matches any run of characters.
    static func glob(_ pattern: String, _ text: String) -> Bool {
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        guard parts.count > 1 else { return pattern == text }
        var rest = Substring(text)
        guard rest.hasPrefix(parts[0]) else { return false }
        rest = rest.dropFirst(parts[0].count)
        for part in parts.dropFirst().dropLast() where !part.isEmpty {
            guard let range = rest.range(of: part) else { return false }
            rest = rest[range.upperBound...]
        }
        let last = parts[parts.count - 1]
        return last.isEmpty || rest.hasSuffix(last)
    }

    static func format(_ value: Double) -> String {
        value >= 1000 ? ">999" : String(format: "%.1f", value)
    }
}

