import AuroraConfig
import AuroraCore
import AuroraDetection

/// The detectors aurora offers, and their settings from the `detection:` configuration section.
package enum DetectorCatalogue {
    /// Every registered detector.
    package static var registry: DetectorRegistry { DetectorRegistry.standard }

    /// Maps the validated configuration onto the engine's settings.
    package static func settings(from configuration: Configuration) throws -> DetectionSettings {
        var settings = DetectionSettings()
        guard let section = configuration.value("detection") else { return settings }
        if let members = section["detectors"]?.list?.compactMap(\.string) {
            for name in members where !registry.contains(name) {
                throw SimpleFailure(.configuration, "\(configuration.source ?? "configuration"): detection.detectors: unknown detector `\(name)` (known: \(registry.names.joined(separator: ", ")))")
            }
            settings.ensembleMembers = members
        }
        for (name, weight) in section["weights"]?.pairs ?? [] { settings.weights[name] = weight.double ?? 1 }
        if let value = section["threshold"]?.double { settings.ensemble.threshold = value }
        if let value = section["quorum"]?.int { settings.ensemble.quorum = value }
        if let value = section["novelty-horizon"]?.int { settings.ensemble.noveltyHorizon = value }
        if let value = section["event-gap"]?.int { settings.ensemble.eventGap = value }
        apply(section, to: &settings)
        for (index, rule) in (section["rules"]?.list ?? []).enumerated() {
            settings.rules.append(try makeRule(rule, path: "detection.rules[\(index)]", configuration: configuration))
        }
        for (index, override) in (section["overrides"]?.list ?? []).enumerated() {
            let path = "detection.overrides[\(index)]"
            guard let text = override["match"]?.string else {
                throw failure(configuration, "\(path): needs `match`, the selector of the series it changes")
            }
            let selector: SeriesSelector
            do { selector = try SeriesSelector(parsing: text, origin: "\(path).match") } catch {
                throw failure(configuration, error.description)
            }
            let members = override["detectors"]?.list?.compactMap(\.string)
            for name in members ?? [] where !registry.contains(name) {
                throw failure(configuration, "\(path).detectors: unknown detector `\(name)`")
            }
            let block = override
            settings.overrides.append(DetectionSettings.Override(
                applies: { selector.matches($0) },
                change: { settings in
                    if let members { settings.ensembleMembers = members }
                    if let value = block["threshold"]?.double { settings.ensemble.threshold = value }
                    DetectorCatalogue.apply(block, to: &settings)
                }))
        }
        return settings
    }

    /// Applies the detector parameter blocks present in `section`.
    @Sendable static func apply(_ section: ConfigValue, to settings: inout DetectionSettings) {
        if let block = section["zscore"] {
            if let v = block["window"]?.int { settings.zscore.window = v }
            if let v = block["sigmas"]?.double { settings.zscore.sigmas = v }
            if let v = block["minimum-points"]?.int { settings.zscore.minimumPoints = v }
            if let v = block["threshold"]?.double { settings.zscore.threshold = v }
        }
        if let block = section["mad"] {
            if let v = block["window"]?.int { settings.mad.window = v }
            if let v = block["sigmas"]?.double { settings.mad.sigmas = v }
            if let v = block["scale-floor"]?.double { settings.mad.scaleFloor = v }
            if let v = block["minimum-points"]?.int { settings.mad.minimumPoints = v }
            if let v = block["threshold"]?.double { settings.mad.threshold = v }
        }
        if let block = section["percentile"] {
            if let v = block["window"]?.int { settings.percentile.window = v }
            if let v = block["low-quantile"]?.double { settings.percentile.lowQuantile = v }
            if let v = block["high-quantile"]?.double { settings.percentile.highQuantile = v }
            if let v = block["tolerance"]?.double { settings.percentile.tolerance = v }
            if let v = block["width-floor"]?.double { settings.percentile.widthFloor = v }
            if let v = block["minimum-points"]?.int { settings.percentile.minimumPoints = v }
            if let v = block["threshold"]?.double { settings.percentile.threshold = v }
        }
        if let block = section["seasonal"] {
            if let v = block["bin-minutes"]?.int { settings.seasonal.binMinutes = v }
            if let v = block["adaptation"]?.double { settings.seasonal.adaptation = v }
            if let v = block["minimum-periods"]?.int { settings.seasonal.minimumPeriods = v }
            if let v = block["window"]?.int { settings.seasonal.window = v }
            if let v = block["sigmas"]?.double { settings.seasonal.sigmas = v }
            if let v = block["scale-floor"]?.double { settings.seasonal.scaleFloor = v }
            if let v = block["minimum-points"]?.int { settings.seasonal.minimumPoints = v }
            if let v = block["threshold"]?.double { settings.seasonal.threshold = v }
        }
    }

    static func makeRule(_ rule: ConfigValue, path: String, configuration: Configuration) throws -> any Rule {
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
        let severity = Severity(rawValue: rule["severity"]?.string ?? "warning") ?? .warning
        let identity = RuleIdentity(name: name, severity: severity, service: rule["service"]?.string ?? matcher.labels["service"] ?? "")
        do {
            if let absent = rule["absent-for"]?.seconds {
                return try AbsentDataRule(identity: identity, matcher: matcher, maximumGap: Int64(absent * 1000))
            }
            if let rate = rule["max-rate-per-second"]?.double {
                let direction = RateOfChangeRule.Direction(rawValue: rule["direction"]?.string ?? "either") ?? .either
                return try RateOfChangeRule(identity: identity, matcher: matcher, maximumPerSecond: rate, direction: direction)
            }
            let above = rule["above"]?.double, below = rule["below"]?.double
            let forDuration = Int64((rule["for"]?.seconds ?? 0) * 1000)
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
