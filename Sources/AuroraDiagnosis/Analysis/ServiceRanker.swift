import AuroraCore
import Foundation

/// Ranks services as the origin of an incident from their series' changes.
///
/// A change counts fully unless something else explains it: latency and errors that a callee's
/// earlier change explains travel up the calls, load that a caller's load explains travels down,
/// and CPU, memory or saturation that the service's own extra load explains are a consequence.
/// What remains is the service whose own metrics moved first for reasons of its own.
struct ServiceRanker {
    let graph: ServiceGraph
    let options: DiagnosisOptions
    /// Sampling step in milliseconds (for onset tolerance).
    let step: Int64

    struct Explanation {
        var text: String
    }

    /// A change no series shows directly, inferred for a service from its neighbours.
    struct Inference {
        var score: Double
        var change: SeriesChange
        var text: String
    }

    struct Ranking {
        var assessments: [ServiceAssessment]
        var explanations: [SeriesKey: Explanation]
        /// Inferred changes of services whose own series for that role are missing.
        var inferences: [String: Inference]
    }

    func rank(_ changes: [SeriesChange]) -> Ranking {
        let threshold = options.changeThreshold
        var byService: [String: [SeriesChange]] = [:]
        for change in changes { byService[change.identity.service, default: []].append(change) }
        // Host series are shared by every service on the host: evidence about none of them alone.
        let changed = byService.mapValues { $0.filter { $0.magnitude >= threshold && $0.identity.role != .host } }
        let tolerance = Int64(options.onsetToleranceSteps) * step
        var explanations: [SeriesKey: Explanation] = [:]
        for (service, list) in changed {
            for change in list {
                if let explanation = explain(change, service: service, changed: changed, tolerance: tolerance) {
                    explanations[change.key] = explanation
                }
            }
        }
        var (inferences, inferredExplanations) = inferBlindSpots(byService: byService, changed: changed, explanations: explanations)
        explanations.merge(inferredExplanations) { first, _ in first }
        let (unseen, unseenExplanations) = inferUnseenCallees(byService: byService, changed: changed, explanations: explanations)
        for (service, inference) in unseen where inference.score > (inferences[service]?.score ?? 0) {
            inferences[service] = inference
        }
        explanations.merge(unseenExplanations) { first, _ in first }
        var assessments: [ServiceAssessment] = []
        for service in Set(byService.keys).union(inferences.keys).sorted() {
            let own = changed[service] ?? []
            var best = 0.0
            var bestChange: SeriesChange?
            var corroboration = 0.0
            var explainedCount = 0
            for change in own {
                var contribution = Self.strength(change.magnitude)
                if explanations[change.key] != nil || change.identity.isOutbound {
                    contribution *= options.explainedWeight
                    explainedCount += 1
                } else {
                    corroboration += 1
                }
                if contribution > best || (contribution == best && bestChange.map { change.key < $0.key } ?? true) {
                    best = contribution
                    bestChange = change
                }
            }
            var score = best * (1 + 0.05 * max(corroboration - 1, 0))
            if let inference = inferences[service], inference.score > score {
                score = inference.score
                bestChange = inference.change
            } else if own.isEmpty {
                // Unchanged services still rank (behind every changed one) by their largest movement.
                let largest = byService[service]?.max { $0.magnitude < $1.magnitude }
                bestChange = largest
                score = 0.01 * Self.strength(largest?.magnitude ?? 0)
            }
            assessments.append(ServiceAssessment(
                service: service, score: score, keyChange: bestChange, changedSeries: own.count + (inferences[service] == nil ? 0 : 1),
                explainedSeries: explainedCount))
        }
        assessments.sort { ($0.score, $1.service) > ($1.score, $0.service) }
        return Ranking(assessments: assessments, explanations: explanations, inferences: inferences)
    }

    /// Services that lack the series of a role (latency, errors, load) while the neighbours that would
    /// inherit its change show one nobody else explains: the change is inferred for the blind service.
    /// When several such neighbours all moved, one unseen cause explains them better than each on its own.
    func inferBlindSpots(
        byService: [String: [SeriesChange]], changed: [String: [SeriesChange]], explanations: [SeriesKey: Explanation]
    ) -> ([String: Inference], [SeriesKey: Explanation]) {
        guard !graph.isEmpty else { return ([:], [:]) }
        let observed = byService.mapValues { Set($0.map(\.identity.role)) }
        var everyone = Set(byService.keys)
        for (caller, callees) in graph.dependencies { everyone.insert(caller); everyone.formUnion(callees) }
        var inferences: [String: Inference] = [:]
        var explained: [SeriesKey: Explanation] = [:]
        for service in everyone.sorted() {
            for role in [MetricRole.latency, .errors, .load] where !(observed[service]?.contains(role) ?? false) {
                // Latency and errors show at the callers, load at the callees.
                let neighbours = role == .load ? graph.callees(of: service) : graph.callers(of: service)
                let withData = neighbours.filter { observed[$0]?.contains(role) ?? false }
                let affected = withData.compactMap { neighbour in
                    (changed[neighbour] ?? []).filter { $0.identity.role == role && explanations[$0.key] == nil }
                        .max { ($0.magnitude, $1.key) < ($1.magnitude, $0.key) }
                }
                guard let strongest = affected.max(by: { ($0.magnitude, $1.key) < ($1.magnitude, $0.key) }) else { continue }
                let shared = affected.count >= 2 && affected.count == withData.count
                let score = Self.strength(strongest.magnitude) * (shared ? 1.05 : 0.9)
                guard score > (inferences[service]?.score ?? 0) else { continue }
                let metric = "\(role.rawValue) (inferred)"
                let key = SeriesKey(name: metric, labels: [Label("service", service)])
                var change = strongest
                change.key = key
                change.identity = SeriesIdentity(key)
                change.identity.role = role
                change.identity.inverted = false
                change.direction = strongest.pressure
                change.level = .nan
                change.baselineMedian = .nan
                let names = affected.map(\.identity.service).sorted()
                let side = role == .load ? "callees" : "callers"
                inferences[service] = Inference(score: score, change: change, text: "no \(role.rawValue) series for \(service); "
                    + "\(names.count) of its \(withData.count) \(side) with data show \(role.rawValue) \(strongest.direction.rawValue): "
                    + names.prefix(5).joined(separator: ", "))
                if shared {
                    for change in affected {
                        explained[change.key] = Explanation(text: "\(change.identity.metric) \(change.direction.rawValue) follows "
                            + "\(service), whose \(role.rawValue) is not observed, like its other \(side)")
                    }
                }
            }
        }
        return (inferences, explained)
    }

    /// Services whose own series did not move while every caller shows that its calls to them slowed or
    /// failed: a network delay on the service's pod, or a fault its own metrics do not see. One unseen
    /// cause shared by all the callers explains them better than each caller on its own (as for a
    /// service with no series of the role at all, `inferBlindSpots`). The callers' evidence is their
    /// latency or errors (outbound, `PodClientLatency`, or their own, which includes the calls) that
    /// nothing else explains; every caller that measures it must have risen, and at least two. One
    /// caller alone points at its callee only through its outbound series, and only when it calls
    /// nothing else (its own latency could be its own fault). The callers' changes then follow it.
    func inferUnseenCallees(
        byService: [String: [SeriesChange]], changed: [String: [SeriesChange]], explanations: [SeriesKey: Explanation]
    ) -> ([String: Inference], [SeriesKey: Explanation]) {
        guard !graph.isEmpty else { return ([:], [:]) }
        var inferences: [String: Inference] = [:]
        var explained: [SeriesKey: Explanation] = [:]
        for service in graph.dependents.keys.sorted() {
            for role in [MetricRole.latency, .errors] {
                // The service's own change of the role is already the ordinary evidence.
                if (changed[service] ?? []).contains(where: { $0.identity.role == role && $0.pressure == .up }) { continue }
                let measuring = graph.callers(of: service).filter { caller in
                    (byService[caller] ?? []).contains { $0.identity.role == role }
                }
                let risen = measuring.compactMap { caller in
                    (changed[caller] ?? []).filter { $0.identity.role == role && $0.pressure == .up && explanations[$0.key] == nil }
                        .max { ($0.magnitude, $1.key) < ($1.magnitude, $0.key) }
                }
                let shared = risen.count >= 2 && risen.count == measuring.count
                let sole = !shared && measuring.count == 1 && risen.count == 1 && risen[0].identity.isOutbound
                    && graph.callees(of: risen[0].identity.service) == [service]
                guard shared || sole, let strongest = risen.max(by: { ($0.magnitude, $1.key) < ($1.magnitude, $0.key) }) else { continue }
                let score = Self.strength(strongest.magnitude) * (shared ? 1.05 : 0.9)
                guard score > (inferences[service]?.score ?? 0) else { continue }
                let key = SeriesKey(name: "\(role.rawValue) (inferred from callers)", labels: [Label("service", service)])
                var change = strongest
                change.key = key
                change.identity = SeriesIdentity(key)
                change.identity.role = role
                change.identity.inverted = false
                change.direction = .up
                change.level = .nan
                change.baselineMedian = .nan
                let names = risen.map(\.identity.service).sorted()
                inferences[service] = Inference(score: score, change: change, text: "\(service)'s own \(role.rawValue) did not move, but "
                    + (shared ? "all \(names.count) of its callers" : "its one caller, which calls nothing else,")
                    + " show \(role.rawValue) up: " + names.prefix(5).joined(separator: ", "))
                for caller in names {
                    for change in changed[caller] ?? [] where change.identity.role == role && change.pressure == .up {
                        explained[change.key] = Explanation(text: "\(change.identity.metric) up follows its dependency \(service), "
                            + "whose own \(role.rawValue) did not move (its callers show it)")
                    }
                }
            }
        }
        return (inferences, explained)
    }

    /// Why `change` on `service` is a consequence of something else, or nil when it is its own.
    func explain(_ change: SeriesChange, service: String, changed: [String: [SeriesChange]], tolerance: Int64) -> Explanation? {
        let onset = change.onset ?? Int64.max
        func startedBefore(_ other: SeriesChange) -> Bool {
            guard let otherOnset = other.onset else { return false }
            // A change without onset never crossed the onset threshold: anything that did came first.
            return onset == Int64.max || otherOnset <= onset + tolerance
        }
        // Extra load explains a change only when it came first (or together).
        let ownLoad = (changed[service] ?? []).first {
            $0.identity.role == .load && $0.pressure == .up && $0.key != change.key && startedBefore($0)
        }
        switch change.identity.role {
        case .latency, .errors:
            if !graph.isEmpty {
                for callee in graph.callees(of: service) {
                    // A callee that slowed, failed or ran out of a resource first explains its callers' symptoms.
                    if let cause = (changed[callee] ?? []).first(where: {
                        Self.propagatingRoles.contains($0.identity.role) && startedBefore($0)
                    }) {
                        return Explanation(text: "\(change.identity.metric) \(change.direction.rawValue) follows its dependency \(callee) (\(cause.identity.metric) \(cause.direction.rawValue))")
                    }
                }
            } else if let earlier = earliestElsewhere(service: service, changed: changed), let otherOnset = earlier.onset,
                      otherOnset < onset {
                // Without a graph only a strictly earlier change elsewhere can explain this one.
                return Explanation(text: "\(change.identity.metric) moved after \(earlier.identity.service) \(earlier.identity.metric)")
            }
            if let ownLoad, change.pressure == .up {
                return Explanation(text: "\(change.identity.metric) up with its own load (\(ownLoad.identity.metric) up)")
            }
        case .load:
            for caller in graph.callers(of: service) {
                if let cause = (changed[caller] ?? []).first(where: { $0.identity.role == .load && $0.pressure == change.pressure }) {
                    return Explanation(text: "\(change.identity.metric) \(change.direction.rawValue) follows its caller \(caller) (\(cause.identity.metric) \(cause.direction.rawValue))")
                }
            }
        case .cpu, .saturation, .memory:
            if let ownLoad, change.pressure == .up {
                return Explanation(text: "\(change.identity.metric) up with its own load (\(ownLoad.identity.metric) up)")
            }
        case .disk, .host, .other:
            break
        }
        return nil
    }

    /// Evidence of a change of sustained z `z`: log(1 + z) of z saturated at `saturation` (z·c/(z + c)).
    /// Beyond a few dozen the size says only that the series changed, not which change is the cause,
    /// so a flat series that jumps to z 10 000 does not outrank a CPU that went from 1 % to 100 %.
    static func strength(_ z: Double) -> Double {
        guard z > 0 else { return 0 }
        guard z.isFinite else { return log1p(saturation) }
        return log1p(z * saturation / (z + saturation))
    }

    /// Where the change evidence saturates.
    static let saturation = 50.0

    /// Roles whose change on a callee reaches its callers as latency and errors.
    static let propagatingRoles: Set<MetricRole> = [.latency, .errors, .cpu, .memory, .saturation, .disk]

    /// Without a graph: the earliest resource, latency or error change on another service.
    func earliestElsewhere(service: String, changed: [String: [SeriesChange]]) -> SeriesChange? {
        var best: SeriesChange?
        for (other, list) in changed where other != service {
            for change in list where ![.load, .other, .host].contains(change.identity.role) {
                guard let onset = change.onset else { continue }
                if let current = best?.onset, current < onset || (current == onset && best.map { $0.key < change.key } ?? false) { continue }
                best = change
            }
        }
        return best
    }
}
