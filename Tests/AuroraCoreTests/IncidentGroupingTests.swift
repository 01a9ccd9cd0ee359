import AuroraCore
import Testing

/// Which anomaly events form which incident, without a database.
struct IncidentGroupingTests {
    static func event(_ id: Int64, _ service: String?, _ start: Int64, _ end: Int64, score: Double = 0.9,
                      recorded: Int64? = nil, newestPoint: Int64? = nil) -> UngroupedEvent {
        UngroupedEvent(id: id, service: service, start: start, end: end, recorded: recorded ?? end, score: score, newestPoint: newestPoint)
    }

    /// Event ids per incident, in placement order.
    static func members(_ plan: IncidentGroupingPlan) -> [IncidentGroupingPlan.Incident: [Int64]] {
        Dictionary(grouping: plan.placements, by: \.incident).mapValues { $0.map(\.event) }
    }

    @Test func overlappingAndNearEventsFormOneIncident() {
        let plan = IncidentGrouping(gap: 60_000).plan([
            Self.event(1, "checkout", 0, 100_000, recorded: 100_500),
            Self.event(2, "payments", 50_000, 120_000, recorded: 90_000),
            Self.event(3, "payments", 170_000, 200_000),   // 50 s after the last end: within the gap
            Self.event(4, "search", 400_000, 410_000),     // far later: a new incident
        ], open: [])
        #expect(plan.opened.count == 2)
        #expect(plan.opened[0] == IncidentSpan(start: 0, end: 200_000, services: ["checkout", "payments"], detected: 90_000))
        #expect(plan.opened[1] == IncidentSpan(start: 400_000, end: 410_000, services: ["search"], detected: 410_000))
        #expect(Self.members(plan) == [.opened(0): [1, 2, 3], .opened(1): [4]])
        #expect(plan.placements.filter(\.opens).map(\.event) == [1, 4])
        #expect(plan.touched == [.opened(0), .opened(1)])
    }

    @Test func eventsAreTakenOldestFirstWhateverTheInputOrder() {
        let events = [Self.event(3, "a", 10, 20), Self.event(1, "b", 15, 40), Self.event(2, "c", 500, 600), Self.event(0, "a", 15, 16)]
        let rule = IncidentGrouping(gap: 100)
        #expect(rule.plan(events, open: []) == rule.plan(events.reversed(), open: []))
        #expect(rule.plan(events, open: []).placements.map(\.event) == [3, 0, 1, 2])
    }

    @Test func zeroGapJoinsTouchingButNotSeparateEvents() {
        let rule = IncidentGrouping(gap: 0)
        #expect(rule.plan([Self.event(1, "s", 0, 10), Self.event(2, "s", 10, 20)], open: []).opened.count == 1)
        #expect(rule.plan([Self.event(1, "s", 0, 10), Self.event(2, "s", 11, 20)], open: []).opened.count == 2)
        #expect(rule.plan([], open: []) == IncidentGroupingPlan())
    }

    @Test func weakEventsThatAreOverOpenNothingButJoinAStrongOnesIncident() {
        let rule = IncidentGrouping(gap: 1_000, openingScore: 0.5)
        // Alone, weak events stay events.
        #expect(rule.plan([Self.event(1, "db", 0, 100, score: 0.2), Self.event(2, "db", 50, 150, score: 0.3)], open: []) == IncidentGroupingPlan())
        // A weak event before the strong one joins its incident in a second pass; one far away does not.
        let plan = rule.plan([
            Self.event(1, "db", 0, 100, score: 0.2),
            Self.event(2, "api", 500, 900, score: 0.8),
            Self.event(3, "db", 50_000, 50_100, score: 0.1),
        ], open: [])
        #expect(Self.members(plan) == [.opened(0): [2, 1]])
        #expect(plan.opened[0].start == 0)
        #expect(plan.opened[0].services == ["api", "db"])
    }

    @Test func aWeakEventStillGoingOnOpensAnIncident() {
        let rule = IncidentGrouping(gap: 1_000, openingScore: 0.5)
        let ongoing = rule.plan([Self.event(1, "db", 0, 100, score: 0.2, newestPoint: 100)], open: [])
        #expect(Self.members(ongoing) == [.opened(0): [1]])
        let over = rule.plan([Self.event(1, "db", 0, 100, score: 0.2, newestPoint: 160)], open: [])
        #expect(over.placements.isEmpty)
    }

    @Test func eventsJoinTheOldestStoredIncidentTheyOverlap() {
        let stored: [(id: Int64, span: IncidentSpan)] = [
            (9, IncidentSpan(start: 0, end: 1_000, services: ["web"], detected: 500)),
            (4, IncidentSpan(start: 800, end: 2_000, services: ["db"], detected: 900)),
            (2, IncidentSpan(start: 90_000, end: 91_000, services: ["far"], detected: 90_000)),
        ]
        let plan = IncidentGrouping(gap: 100).plan([
            Self.event(1, "cache", 1_500, 3_000, recorded: 400),
            Self.event(2, nil, 3_050, 3_060),                     // within the gap of incident 4's grown span
        ], open: stored)
        #expect(Self.members(plan) == [.stored(4): [1, 2]])
        #expect(plan.opened.isEmpty)
        #expect(plan.stored == [4: IncidentSpan(start: 800, end: 3_060, services: ["cache", "db"], detected: 400)])
        #expect(plan.touched == [.stored(4)])
    }

    /// A service is its whole name: one holding a comma is one service, not two (the store escapes it).
    @Test func servicesAreASortedSetOfWholeNames() {
        let plan = IncidentGrouping(gap: 10).plan([Self.event(1, "b,a", 0, 5), Self.event(2, "c", 1, 5), Self.event(3, "a", 2, 5),
                                                   Self.event(4, "c", 3, 5)], open: [])
        #expect(plan.opened[0].services == ["a", "b,a", "c"])
        #expect(IncidentGrouping(gap: 10).plan([Self.event(1, nil, 0, 5)], open: []).opened[0].services == [])
    }

    @Test func extremeSpansDoNotOverflow() {
        let rule = IncidentGrouping(gap: .max)
        #expect(rule.plan([Self.event(1, "s", 0, 0), Self.event(2, "s", .max, .max)], open: []).opened.count == 1)
        #expect(rule.plan([Self.event(1, "s", .min, .min), Self.event(2, "s", .min + 5, .min + 5)], open: []).opened.count == 1)
    }
}
