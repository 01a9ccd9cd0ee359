import AuroraCore

/// The service a series belongs to and the metric it measures.
///
/// The service is the `service` label (or `app`, `job`); without one, a wide export's header
/// `checkout_latency` reads as service `checkout`, metric `latency`.
package struct SeriesIdentity: Sendable, Hashable {
    /// The service, as its `service` label (or name prefix) says.
    package var service: String
    /// The metric name without the service part.
    package var metric: String
    /// What the series measures.
    package var role: MetricRole
    /// The unit its name declares.
    package var unit: MetricUnit
    /// Where the role came from: `label` (configuration), `name` or `unknown`.
    package var roleEvidence: RoleEvidence
    /// True for headroom metrics (`disk_free`, `cpu_idle`, `memory_available`): they fall when the
    /// resource they measure fills up, so their direction is read the other way round.
    package var inverted: Bool

    /// Creates the value from its parts.
    package init(_ key: SeriesKey) {
        if let service = key[label: "service"] ?? key[label: "app"] ?? key[label: "job"] {
            self.service = service
            metric = key.name
        } else if let split = key.name.firstIndex(of: "_"), split != key.name.startIndex,
                  key.name.index(after: split) != key.name.endIndex,
                  Self.looksLikeServiceAndMetric(String(key.name[..<split]), String(key.name[key.name.index(after: split)...])) {
            service = String(key.name[..<split])
            metric = String(key.name[key.name.index(after: split)...])
        } else {
            service = key.name
            metric = key.name
        }
        if let configured = key[label: "role"].flatMap({ MetricRole(rawValue: $0.lowercased()) }) {
            role = configured
            roleEvidence = .configuration
        } else {
            role = MetricRole.classify(metric)
            roleEvidence = role == .other ? .unknown : .name
        }
        unit = MetricUnit.of(metric)
        inverted = MetricRole.isHeadroom(metric)
    }

    /// Whether an unlabelled name reads as `service_metric` (`checkout_latency`, `ec2_cpu_utilization`):
    /// the prefix is written as service names are (lower case, digits, hyphens: DNS and Kubernetes
    /// names) and the rest names a kind of metric. A file name such as `Twitter_volume_AAPL` or
    /// `speed_6005` is not split into a service that does not exist: the series stands for itself.
    static func looksLikeServiceAndMetric(_ prefix: String, _ rest: String) -> Bool {
        let serviceLike = prefix.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
        return serviceLike && MetricRole.classify(rest) != .other
    }
}

extension SeriesIdentity {
    /// Latency or errors measured on the calls the service makes (`PodClientLatency`, `outbound`,
    /// `egress`, `upstream_rq`): they tell about its dependencies, not about the service itself.
    package var isOutbound: Bool {
        guard role == .latency || role == .errors else { return false }
        return MetricWords.split(metric).contains { ["client", "outbound", "egress", "upstream"].contains($0) }
    }
}

/// How a series' role is known.
package enum RoleEvidence: String, Sendable, Hashable {
    /// A `role` label, as configuration sets it.
    case configuration
    /// The metric name's words and conventions.
    case name
    /// Nothing says what the series measures.
    case unknown
}
