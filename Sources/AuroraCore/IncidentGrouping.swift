/// An anomaly event not yet in an incident, as the grouping rule sees it.
package struct UngroupedEvent: Sendable, Equatable {
    /// The stored event's id (ties in start time are broken by it).
    package var id: Int64
    /// Its service, when known.
    package var service: String?
    /// Its span, Unix milliseconds.
    package var start: Int64
    package var end: Int64
    /// When it was recorded, Unix milliseconds: an incident was detected when its first event was.
    package var recorded: Int64
    /// Its score.
    package var score: Double
    /// The newest stored point of its series, Unix milliseconds: an event that reaches it is still going
    /// on. Only events too weak to open an incident by score are asked; nil means not known.
    package var newestPoint: Int64?

    package init(id: Int64, service: String?, start: Int64, end: Int64, recorded: Int64, score: Double, newestPoint: Int64? = nil) {
        self.id = id
        self.service = service
        self.start = start
        self.end = end
        self.recorded = recorded
        self.score = score
        self.newestPoint = newestPoint
    }
}

/// What the grouping rule knows of an incident: its span, services and detection time.
package struct IncidentSpan: Sendable, Equatable {
    /// Earliest event start and latest event end, Unix milliseconds.
    package var start: Int64
    package var end: Int64
    /// The services involved, sorted.
    package var services: [String]
    /// When its first event was recorded, Unix milliseconds.
    package var detected: Int64

    package init(start: Int64, end: Int64, services: [String], detected: Int64) {
        self.start = start
        self.end = end
        self.services = services
        self.detected = detected
    }
}

/// The rule that groups anomaly events into incidents, as a pure function: the store reads the
/// ungrouped events and the incidents they may join, asks `plan`, and writes the plan down.
///
/// Events are taken oldest first (ties by id). An event joins the oldest incident, stored or opened
/// earlier in the same plan, whose span widened by `gap` overlaps its own; the incident's span grows
/// to cover it. Otherwise it opens a new incident when it is still going on (it reaches its series'
/// newest stored point: it may grow, and someone should look) or, once over, when its score reaches
/// `openingScore`. A weak event that is over stays an event (shown by `detect`, kept for history)
/// unless a stronger one opens or extends an incident it overlaps, so a month-long dump of a noisy
/// series does not open an incident per blip; a weak event that came before the strong one that
/// opened its incident joins it in a second pass (incident 2 of the demo begins with two weak events
/// at postgres, a minute before the strong ones).
package struct IncidentGrouping: Sendable {
    /// Largest quiet time inside one incident, milliseconds.
    package var gap: Int64
    /// The score an event that is over needs to open an incident.
    package var openingScore: Double
    /// Events that ended before this (Unix ms) are no longer grouped; nil: every event is. A watcher
    /// with `watch.retention` keeps no points older than that, so no incident there could be diagnosed,
    /// and a weak event that never joined one would otherwise be read again on every pass, for ever.
    package var horizon: Int64?

    package init(gap: Int64, openingScore: Double = 0) {
        self.gap = gap
        self.openingScore = openingScore
    }

    /// Where each of `events` goes, given the incidents they may join (`open`: any not resolved, by id).
    package func plan(_ events: [UngroupedEvent], open: [(id: Int64, span: IncidentSpan)]) -> IncidentGroupingPlan {
        var state = Placing(gap: gap, stored: open.sorted { $0.id < $1.id })
        let ordered = events.sorted { ($0.start, $0.id) < ($1.start, $1.id) }
        var waiting: [UngroupedEvent] = []
        for event in ordered where !state.place(event, mayOpen: mayOpen(event)) {
            waiting.append(event)
        }
        if !state.plan.touched.isEmpty {
            for event in waiting { _ = state.place(event, mayOpen: false) }
        }
        return state.finished()
    }

    /// Strong enough to open an incident, or still going on.
    private func mayOpen(_ event: UngroupedEvent) -> Bool {
        event.score >= openingScore || event.newestPoint.map { event.end >= $0 } == true
    }

    /// The plan as it is built: incidents in the order an event looks for one to join.
    private struct Placing {
        let gap: Int64
        var candidates: [(incident: IncidentGroupingPlan.Incident, span: IncidentSpan)]
        var plan = IncidentGroupingPlan()

        init(gap: Int64, stored: [(id: Int64, span: IncidentSpan)]) {
            self.gap = gap
            candidates = stored.map { (.stored($0.id), $0.span) }
        }

        /// Places `event`; false when it joins nothing and may not open an incident.
        mutating func place(_ event: UngroupedEvent, mayOpen: Bool) -> Bool {
            let incident: IncidentGroupingPlan.Incident
            if let index = candidates.firstIndex(where: { overlaps($0.span, event) }) {
                incident = candidates[index].incident
                candidates[index].span = joined(candidates[index].span, event)
                plan.placements.append(.init(event: event.id, incident: incident, opens: false))
            } else {
                guard mayOpen else { return false }
                incident = .opened(plan.opened.count)
                let span = IncidentSpan(start: event.start, end: event.end, services: IncidentGrouping.services([], event.service),
                                        detected: event.recorded)
                plan.opened.append(span)
                candidates.append((incident, span))
                plan.placements.append(.init(event: event.id, incident: incident, opens: true))
            }
            if !plan.touched.contains(incident) { plan.touched.append(incident) }
            return true
        }

        func overlaps(_ span: IncidentSpan, _ event: UngroupedEvent) -> Bool {
            span.start.subtractingSaturated(gap) <= event.end && span.end.addingSaturated(gap) >= event.start
        }

        func joined(_ span: IncidentSpan, _ event: UngroupedEvent) -> IncidentSpan {
            IncidentSpan(start: min(span.start, event.start), end: max(span.end, event.end),
                         services: IncidentGrouping.services(span.services, event.service), detected: min(span.detected, event.recorded))
        }

        /// The plan with every incident's final span.
        func finished() -> IncidentGroupingPlan {
            var result = plan
            for candidate in candidates {
                switch candidate.incident {
                case .stored(let id) where plan.touched.contains(candidate.incident): result.stored[id] = candidate.span
                case .opened(let index): result.opened[index] = candidate.span
                case .stored: break
                }
            }
            return result
        }
    }

    /// The services of an incident after `service` joins: a sorted set. A name is one service whatever
    /// it holds (a comma included: the store escapes it).
    static func services(_ current: [String], _ service: String?) -> [String] {
        var all = Set(current)
        if let service { all.insert(service) }
        return all.sorted()
    }
}

/// What grouping decided: which event goes where, and the incidents' spans afterwards.
package struct IncidentGroupingPlan: Sendable, Equatable {
    /// An incident the plan names: one already stored, or the plan's `opened[index]`.
    package enum Incident: Hashable, Sendable {
        case stored(Int64)
        case opened(Int)
    }

    /// One event put into one incident (`opens`: the event opened it).
    package struct Placement: Sendable, Equatable {
        package var event: Int64
        package var incident: Incident
        package var opens: Bool

        package init(event: Int64, incident: Incident, opens: Bool) {
            self.event = event
            self.incident = incident
            self.opens = opens
        }
    }

    /// Placements in the order they were made (the incidents' timelines follow it). Events not placed
    /// stay ungrouped.
    package var placements: [Placement] = []
    /// Stored incidents that events joined, with their spans after joining.
    package var stored: [Int64: IncidentSpan] = [:]
    /// Incidents opened, in order, with their spans after joining.
    package var opened: [IncidentSpan] = []
    /// Incidents opened or extended, in the order first touched.
    package var touched: [Incident] = []

    package init() {}
}

extension Int64 {
    /// `self + other`, held at the bounds instead of trapping.
    func addingSaturated(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }

    /// `self - other`, held at the bounds instead of trapping.
    func subtractingSaturated(_ other: Int64) -> Int64 {
        let (difference, overflow) = subtractingReportingOverflow(other)
        return overflow ? (other > 0 ? .min : .max) : difference
    }
}
