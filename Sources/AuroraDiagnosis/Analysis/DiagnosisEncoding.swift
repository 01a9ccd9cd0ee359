import AuroraCore

// `Encodable` for the results, so `--json` output and the incident store can use `JSONEncoder`.
// Series keys are written in Prometheus notation; numbers that are not finite (an inferred change
// has no level) are written as null, since JSON has no NaN.

extension KeyedEncodingContainer {
    /// Encodes a finite number, or null.
    mutating func encodeFinite(_ value: Double, forKey key: Key) throws {
        if value.isFinite { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
}

extension SeriesChange: Encodable {
    enum CodingKeys: String, CodingKey {
        case series, service, metric, role, baselineMedian, baselineScale, magnitude, direction, pressure, peak, onset, level
        case historyPoints, windowPoints
    }

    /// Writes the change with its series key as text.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(key.description, forKey: .series)
        try container.encode(identity.service, forKey: .service)
        try container.encode(identity.metric, forKey: .metric)
        try container.encode(identity.role, forKey: .role)
        try container.encodeFinite(baselineMedian, forKey: .baselineMedian)
        try container.encodeFinite(baselineScale, forKey: .baselineScale)
        try container.encodeFinite(magnitude, forKey: .magnitude)
        try container.encode(direction, forKey: .direction)
        try container.encode(pressure, forKey: .pressure)
        try container.encodeFinite(peak, forKey: .peak)
        try container.encodeIfPresent(onset, forKey: .onset)
        try container.encodeFinite(level, forKey: .level)
        try container.encode(historyPoints, forKey: .historyPoints)
        try container.encode(windowPoints, forKey: .windowPoints)
    }
}

extension RootCauseCandidate: Encodable {
    enum CodingKeys: String, CodingKey {
        case rank, service, series, metric, score, cause, pattern, patternScore, remediation, risk, confidence, confidenceMeasured, tier
        case evidence, confidenceInputs, silence
    }

    /// Writes the candidate with its series key as text, and whether its confidence is a measurement
    /// (false when it rests on series that stopped reporting: readers of the stored JSON say so
    /// instead of showing the 0 as a value).
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(rank, forKey: .rank)
        try container.encode(service, forKey: .service)
        try container.encodeIfPresent(seriesKey?.description, forKey: .series)
        try container.encodeIfPresent(metric, forKey: .metric)
        try container.encodeFinite(score, forKey: .score)
        try container.encode(cause, forKey: .cause)
        try container.encodeIfPresent(pattern, forKey: .pattern)
        try container.encodeFinite(patternScore, forKey: .patternScore)
        try container.encodeIfPresent(remediation, forKey: .remediation)
        try container.encodeIfPresent(risk, forKey: .risk)
        try container.encodeFinite(confidence, forKey: .confidence)
        try container.encode(!restsOnSilence, forKey: .confidenceMeasured)
        try container.encode(tier, forKey: .tier)
        try container.encode(evidence, forKey: .evidence)
        try container.encode(confidenceInputs, forKey: .confidenceInputs)
        try container.encodeIfPresent(silence, forKey: .silence)
    }
}

extension ConfidenceModel.Inputs: Encodable {
    enum CodingKeys: String, CodingKey {
        case strength, margin, pattern, correlation, history, timing, resource, corroboration
        case concurrentServices = "concurrent_services", seriesCount = "series_count", roleKnown = "role_known", historyPoints = "history_points"
        case candidateServices = "candidate_services"
    }

    /// Writes the inputs, non-finite values as null.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeFinite(strength, forKey: .strength)
        try container.encodeFinite(margin, forKey: .margin)
        try container.encodeFinite(pattern, forKey: .pattern)
        try container.encodeFinite(correlation, forKey: .correlation)
        try container.encodeFinite(history, forKey: .history)
        try container.encodeFinite(timing, forKey: .timing)
        try container.encodeFinite(resource, forKey: .resource)
        try container.encodeFinite(corroboration, forKey: .corroboration)
        try container.encode(concurrentServices, forKey: .concurrentServices)
        try container.encode(seriesCount, forKey: .seriesCount)
        try container.encode(roleKnown, forKey: .roleKnown)
        try container.encode(historyPoints, forKey: .historyPoints)
        try container.encode(candidateServices, forKey: .candidateServices)
    }
}

extension AnomalyObservation: Encodable {
    enum CodingKeys: String, CodingKey {
        case series, start, end, peak, score, direction
    }

    /// Writes the observation with its series key as text.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(key.description, forKey: .series)
        try container.encode(start, forKey: .start)
        try container.encode(end, forKey: .end)
        try container.encodeFinite(peak, forKey: .peak)
        try container.encodeFinite(score, forKey: .score)
        try container.encode(direction, forKey: .direction)
    }
}

extension IncidentGroup: Encodable {
    enum CodingKeys: String, CodingKey {
        case start, end, services, series, observations
    }

    /// Writes the group with its series keys as text.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(start, forKey: .start)
        try container.encode(end, forKey: .end)
        try container.encode(services, forKey: .services)
        try container.encode(seriesKeys.map(\.description), forKey: .series)
        try container.encode(observations, forKey: .observations)
    }
}
