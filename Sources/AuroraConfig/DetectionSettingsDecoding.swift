import AuroraCore
import AuroraDetection

extension DetectionSettings {
    /// The `detection:` section of a validated configuration, decoded onto the engine's settings:
    /// detector parameters through the tables the schema is made from, then rules and per-series
    /// overrides. Throws a configuration failure for what the schema cannot check (detector names,
    /// selectors, a rule without a condition).
    package init(configuration: Configuration, registry: DetectorRegistry = .standard) throws {
        self.init()
        guard let section = configuration.value("detection") else { return }
        if let members = section["detectors"]?.list?.compactMap(\.string) {
            for name in members where !registry.contains(name) {
                let near = DetectionError.nearest(name, in: registry.names).map { "did you mean `\($0)`? " } ?? ""
                throw Self.failure(configuration, "detection.detectors: unknown detector `\(name)` (\(near)known: \(registry.names.joined(separator: ", ")))")
            }
            ensembleMembers = members
        }
        for (name, weight) in section["weights"]?.pairs ?? [] { weights[name] = weight.double ?? 1 }
        for parameter in DetectorParameters.ensemble { parameter.apply(section, to: &ensemble) }
        DetectorParameters.apply(section, to: &self)
        for (index, rule) in (section["rules"]?.list ?? []).enumerated() {
            rules.append(try Self.rule(rule, path: "detection.rules[\(index)]", configuration: configuration))
        }
        for (index, override) in (section["overrides"]?.list ?? []).enumerated() {
            overrides.append(try Self.override(override, path: "detection.overrides[\(index)]", registry: registry, configuration: configuration))
        }
    }

    /// One `overrides` entry: the series it selects, and what it changes for them.
    static func override(_ block: ConfigValue, path: String, registry: DetectorRegistry,
                         configuration: Configuration) throws -> Override {
        guard let text = block["match"]?.string else {
            throw failure(configuration, "\(path): needs `match`, the selector of the series it changes")
        }
        let selector: SeriesSelector
        do { selector = try SeriesSelector(parsing: text, origin: "\(path).match") } catch {
            throw failure(configuration, error.description)
        }
        let members = block["detectors"]?.list?.compactMap(\.string)
        for name in members ?? [] where !registry.contains(name) {
            let near = DetectionError.nearest(name, in: registry.names).map { " (did you mean `\($0)`?)" } ?? ""
            throw failure(configuration, "\(path).detectors: unknown detector `\(name)`\(near)")
        }
        return Override(
            applies: { selector.matches($0) },
            change: { settings in
                if let members { settings.ensembleMembers = members }
                if let value = block["threshold"]?.double { settings.ensemble.threshold = value }
                DetectorParameters.apply(block, to: &settings)
            })
    }

    /// One `rules` entry: a threshold, rate-of-change, absent-data or pattern rule.
    static func rule(_ rule: ConfigValue, path: String, configuration: Configuration) throws -> any Rule {
        guard let name = rule["name"]?.string, !name.isEmpty else { throw failure(configuration, "\(path): needs a `name`") }
        var matcher = SeriesMatcher()
        if let text = rule["match"]?.string {
            let selector: SeriesSelector
            do { selector = try SeriesSelector(parsing: text, origin: "\(path).match") } catch {
                throw failure(configuration, error.description)
            }
            var labels: [String: String] = [:]
            for item in selector.matchers {
                guard item.op == .equal else {
                    throw failure(configuration, "\(path).match: rules select series with = matchers only (found \(item))")
                }
                labels[item.label] = item.value
            }
            matcher = SeriesMatcher(metric: selector.metricName, labels: labels)
        }
        // `severity`, `direction` and `for` fall back to the schema's defaults (validation fills them in;
        // a configuration built by hand reads the same).
        let pattern = "detection.rules.*"
        let severityText = try Configuration.text("severity", of: rule, at: path, pattern: "\(pattern).severity")
        guard let severity = Severity(rawValue: severityText) else { throw failure(configuration, "\(path).severity: `\(severityText)` is not a severity") }
        let identity = RuleIdentity(name: name, severity: severity, service: rule["service"]?.string ?? matcher.labels["service"] ?? "")
        do {
            if let absent = rule["absent-for"]?.seconds {
                return try AbsentDataRule(identity: identity, matcher: matcher, maximumGap: Int64(absent * 1000))
            }
            if let rate = rule["max-rate-per-second"]?.double {
                let directionText = try Configuration.text("direction", of: rule, at: path, pattern: "\(pattern).direction")
                guard let direction = RateOfChangeRule.Direction(rawValue: directionText) else {
                    throw failure(configuration, "\(path).direction: `\(directionText)` is not a direction")
                }
                return try RateOfChangeRule(identity: identity, matcher: matcher, maximumPerSecond: rate, direction: direction)
            }
            let above = rule["above"]?.double, below = rule["below"]?.double
            let forDuration = Int64(try Configuration.seconds("for", of: rule, at: path, pattern: "\(pattern).for") * 1000)
            switch (above, below) {
            case let (high?, low?):
                return try ThresholdRule(identity: identity, matcher: matcher, condition: .outside(low: low, high: high), forDuration: forDuration)
            case let (high?, nil):
                return try ThresholdRule(identity: identity, matcher: matcher, condition: .above(high), forDuration: forDuration)
            case let (nil, low?):
                return try ThresholdRule(identity: identity, matcher: matcher, condition: .below(low), forDuration: forDuration)
            case (nil, nil):
                break
            }
            let labelPatterns = Dictionary(uniqueKeysWithValues: (rule["label-patterns"]?.pairs ?? []).map { ($0.0, $0.1.string ?? "") })
            if !labelPatterns.isEmpty || rule["value-pattern"] != nil {
                return try PatternRule(identity: identity, labelPatterns: labelPatterns, valuePattern: rule["value-pattern"]?.string)
            }
        } catch let error as DetectionError {
            throw failure(configuration, "\(path): \(error.description)")
        }
        throw failure(configuration, "\(path): give a condition: above/below, max-rate-per-second, absent-for, or label-patterns/value-pattern")
    }

    static func failure(_ configuration: Configuration, _ message: String) -> SimpleFailure {
        SimpleFailure(.configuration, "\(configuration.source ?? "configuration"): \(message)")
    }
}
