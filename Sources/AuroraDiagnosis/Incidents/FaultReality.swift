import AuroraCore

/// How likely an incident is to be a real fault at all, before asking what caused it.
///
/// A diagnosis' confidence is the probability that its candidate is the root *given* a fault: it was
/// fitted on fault injections, every one of them real. Most anomalies are not faults (about 0.4 of the
/// default ensemble's events touch a labelled window on the two development corpora), so a lone spike on
/// a one-service system used to be "100% sure" of its cause and was remediated with no one asked. The
/// loop acts on the probability that acting is right: that the fault is real, times that its cause is.
///
/// Where that first probability comes from, in order:
/// - **An operator's rule fired** on one of the incident's series (a configured detection rule, or an
///   Alertmanager alert received by `aurora watch`): the operator declared that condition a fault (an SLO
///   burn, an error ratio over a line). It counts as real; aurora did not fit it.
/// - **Otherwise the strongest anomaly event's confidence** (`EventConfidence`, fitted on labelled
///   outcomes of single series; at most about 0.7). Several anomalous series are not combined: whether
///   they corroborate each other or echo one another (a metric in two units, a service's load on its
///   neighbours) was never measured on labelled incidents, so the strongest one alone is used. It
///   under-claims a fault seen on many series; the cost is a question to a person, not a wrong action.
/// - **Events with no fitted confidence** (recorded before aurora kept one): not measured.
///
/// Without a rule the decision stays below the line where aurora acts without a human. The fitted event
/// confidence reaches that line only at its top (a saturated peak score, 0.705), and there it has not kept
/// its promise: 11 of 18 such events were right on the development corpora (0.61), 5 of 13 with their
/// category left out of the fit (0.38). An anomaly alone is a lead for a person; a rule, or a learned
/// pattern's record of verified fixes, lets aurora act alone.
package struct FaultReality: Sendable, Equatable {
    /// Where the probability comes from.
    package enum Basis: Sendable, Equatable {
        /// An operator's rule fired (its name; an Alertmanager alert's is `alert NAME`).
        case rule(String)
        /// The strongest anomaly event's fitted confidence.
        case anomaly
        /// No event carries a fitted confidence.
        case unmeasured
    }

    /// One anomaly event of the incident, as far as its reality goes.
    package struct Event: Sendable, Equatable {
        /// The event's fitted probability of marking a fault; nil when it has none.
        package var confidence: Double?
        /// The operator's rule that raised or joined it (a configured detection rule, an Alertmanager
        /// alert), nil when only aurora's detectors did.
        package var rule: String?

        /// An event from its confidence and the operator's rule behind it.
        package init(confidence: Double?, rule: String? = nil) {
            self.confidence = confidence
            self.rule = rule
        }
    }

    /// Where the probability comes from.
    package var basis: Basis
    /// The probability that the incident is a real fault; nil when not measured.
    package var probability: Double?

    /// The reality of an incident made of `events`.
    package init(events: [Event]) {
        if let rule = events.lazy.compactMap(\.rule).first {
            basis = .rule(rule)
            probability = 1
        } else if let strongest = events.compactMap(\.confidence).filter(\.isFinite).max() {
            basis = .anomaly
            probability = min(max(strongest, 0), 1)
        } else {
            basis = .unmeasured
            probability = nil
        }
    }

    /// The probability that acting on a cause of confidence `cause` is right, under `tiers`: the product of
    /// the two (the cause's own when the reality was not measured), kept below the line where aurora acts
    /// without a human unless a rule vouches for the fault.
    package func acting(on cause: Double, tiers: ConfidenceTiers) -> Double {
        let product = (probability ?? 1) * cause
        guard let ceiling = ceiling(tiers: tiers) else { return product }
        return min(product, ceiling)
    }

    /// The most the acting confidence may be: just below the line where aurora acts without a human, nil
    /// when an operator's rule vouches for the fault.
    package func ceiling(tiers: ConfidenceTiers) -> Double? {
        if case .rule = basis { return nil }
        return tiers.autoWithMonitoring - Self.belowTheLine
    }

    /// How far below the line a held confidence sits: a millionth, so that it reads below the line at any
    /// precision a person reads it (one ulp below 0.7 still prints as 0.70).
    package static let belowTheLine = 1e-6

    /// The acting confidence in words: "52%", or, where the ceiling held it, "under 70% (no rule vouches
    /// for the fault)" (its value would print as 70% and read as the line met).
    package func actingText(on cause: Double, tiers: ConfidenceTiers) -> String {
        describe(acting: acting(on: cause, tiers: tiers), cause: cause)
    }

    /// An acting confidence this reality gave a cause of confidence `cause`, in words: held when it is
    /// below their product (only the ceiling lowers it), and then named by the line it was held under.
    package func describe(acting: Double, cause: Double) -> String {
        if acting < (probability ?? 1) * cause {
            return "under " + String(format: "%.0f%%", (acting + Self.belowTheLine) * 100) + " (no rule vouches for the fault)"
        }
        return String(format: "%.0f%%", acting * 100)
    }

    /// In words, for the loop's output: "real 70% (strongest anomaly)", "real (rule `errors-high` fired)".
    package var text: String {
        switch basis {
        case .rule(let name): "real (rule `\(name)` fired)"
        case .anomaly: "real " + String(format: "%.0f%%", (probability ?? 0) * 100) + " (strongest anomaly)"
        case .unmeasured: "real not measured (no fitted anomaly confidence)"
        }
    }

    /// The basis as a short word, for JSON: `rule`, `anomaly`, `unmeasured`.
    package var basisName: String {
        switch basis {
        case .rule: "rule"
        case .anomaly: "anomaly"
        case .unmeasured: "unmeasured"
        }
    }
}
