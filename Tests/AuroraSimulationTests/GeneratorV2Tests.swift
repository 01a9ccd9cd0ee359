import AuroraCore
@testable import AuroraSimulation
import Testing

/// aurora-synth/2: the features the real Nezha cases showed, each checked on generated cases.
@Suite("aurora-synth/2 generator")
struct GeneratorV2Tests {
    static let generator = IncidentGenerator(masterSeed: 0, version: .v2)
    /// The first cases of the dev split, generated once for the whole suite.
    static let cases = (0..<60).map { generator.generate(index: $0) }

    @Test func sameSeedGivesIdenticalFiles() {
        let first = Self.generator.generate(index: 5)
        let second = IncidentGenerator(masterSeed: 0, version: .v2).generate(index: 5)
        #expect(first.dataCSV() == second.dataCSV())
        #expect(first.labelJSON() == second.labelJSON())
        #expect(first.rcaMetricsCSV() == second.rcaMetricsCSV())
        #expect(first.rcaCaseJSON() == second.rcaCaseJSON())
        #expect(first.labelJSON().contains("\"generator\":\"aurora-synth/2\""))
    }

    @Test func newVersionGivesNewCasesAndKeepsTheOld() {
        let old = IncidentGenerator(masterSeed: 0).generate(index: 0)
        #expect(old.generator == .v1)
        #expect(old.labelJSON().contains("\"generator\":\"aurora-synth/1\""))
        #expect(Self.cases[0].dataCSV() != old.dataCSV())
    }

    /// Pins the bytes of two aurora-synth/2 cases: any change to the generator must bump its version.
    @Test(arguments: [
        (0, "7d8f978aec54fd73ec0fec1cc9a23398338fbf003555c6bdcb410e23dd2b5b9f"),
        (10_000, "e03d924c865acc252f91344ad62e6f84f0ed39519a3ee3a8b2b6cdeede121c85"),
    ])
    func pinnedDigests(index: Int, digest: String) {
        let generated = Self.generator.generate(index: index)
        let all = generated.dataCSV() + generated.graphJSON() + generated.labelJSON() + generated.injectTimeText()
        #expect(SHA256.hex(all) == digest)
    }

    @Test func everyServiceCarriesItsNodeMetrics() {
        var shared = 0
        for item in Self.cases {
            let services = item.topology.services.count
            #expect(item.columns.count <= services * 8 && item.columns.count >= services * 8 - 2)
            let nodeCPU = item.columns.filter { $0.metric == .nodeCPU }
            for column in nodeCPU { #expect(column.values.allSatisfy { !$0.isFinite || (0...100).contains($0) }) }
            // Services on one node export the very same node series.
            let distinct = Set(nodeCPU.map { $0.values.map { $0.isFinite ? $0 : -1 } })
            if distinct.count < nodeCPU.count { shared += 1 }
        }
        #expect(shared >= Self.cases.count / 2)
    }

    @Test func aCPUHogRaisesItsNeighboursNodeCPU() {
        var checked = 0
        for item in Self.cases where item.label.kind == .cpuHog && !item.label.confounders.contains("faint") {
            guard let root = item.label.roots.first,
                  let node = item.columns.first(where: { $0.service == root && $0.metric == .nodeCPU }) else { continue }
            let neighbours = item.columns.filter { $0.metric == .nodeCPU && $0.service != root && $0.values == node.values }
            let onset = onsetRow(item)
            #expect(mean(node.values[(onset + 10)..<(onset + 70)]) > mean(node.values[(onset - 60)..<onset]))
            if !neighbours.isEmpty { checked += 1 }
        }
        #expect(checked >= 1)
    }

    @Test func idleServicesSitNearZeroAndBlip() {
        var checked = 0
        for item in Self.cases {
            for service in idleServices(item) {
                guard let cpu = item.columns.first(where: { $0.service == service && $0.metric == .cpu }) else { continue }
                let history = cpu.values[0..<onsetRow(item)].filter(\.isFinite).sorted()
                #expect(history[history.count / 2] < 0.05, "\(service): idle CPU median")
                #expect(cpu.values.filter(\.isFinite).max() ?? 0 >= 1, "\(service): blips")
                checked += 1
            }
        }
        #expect(checked >= 5)
    }

    @Test func flatMemoryMovesByLessThanTwoPercent() {
        var checked = 0
        for item in Self.cases {
            let flat = item.label.confounders.filter { $0.hasPrefix("flat-memory:") }.map { String($0.dropFirst(12)) }
            for service in flat where !(item.label.kind == .memoryLeak && item.label.roots.contains(service)) {
                guard let memory = item.columns.first(where: { $0.service == service && $0.metric == .mem }) else { continue }
                let values = memory.values.filter(\.isFinite)
                let low = values.min() ?? 0, high = values.max() ?? 0
                #expect(high > low, "\(service): it does move")
                #expect((high - low) / low < 0.02, "\(service): memory range")
                checked += 1
            }
        }
        #expect(checked >= 5)
    }

    @Test func aCallerOnlyFaultLeavesTheFaultyServiceFlat() {
        var checked = 0
        for item in Self.cases where item.label.confounders.contains("caller-only") && !item.label.confounders.contains("faint") {
            guard let root = item.label.roots.first else { continue }
            #expect(item.label.indicator == nil)
            let onset = onsetRow(item)
            for metric in [SyntheticMetric.latency, .error, .cpu, .saturation] {
                guard let column = item.columns.first(where: { $0.service == root && $0.metric == metric }) else { continue }
                #expect(!moved(column.values, onset: onset), "\(root) \(metric) stays flat")
            }
            // Its callers see it (the generator only keeps faults the entry service shows).
            let callers = item.callEdges.filter { $0.callee == root }.map(\.caller)
            let seen = item.columns.contains {
                callers.contains($0.service) && ($0.metric == .latency || $0.metric == .error) && moved($0.values, onset: onset)
            }
            if !item.label.silent {
                #expect(seen, "a caller of \(root) moved")
                checked += 1
            }
        }
        #expect(checked >= 2)
    }

    @Test func exportedCasesSayHowTheFaultShows() {
        for item in Self.cases.prefix(20) where item.label.hasFault {
            let json = item.rcaCaseJSON()
            #expect(json.contains("\"visibility\":\"\(item.visibility)\""))
            #expect(json.contains("\"reference\":"))
        }
        #expect(!IncidentGenerator(masterSeed: 0).generate(index: 0).rcaCaseJSON().contains("visibility"))
    }

    @Test func faintFaultsKeepASmallFixedSize() {
        let faint = Self.cases.filter { $0.label.confounders.contains("faint") }
        #expect(faint.count >= 5)
        for item in faint {
            #expect(item.label.alpha >= 0.1 && item.label.alpha < 0.4)
            #expect(!item.label.silent)
        }
    }

    @Test func earlierFaultsEndBeforeTheIncident() {
        var checked = 0
        for item in Self.cases {
            for description in item.label.confounders where description.hasPrefix("earlier:cpu_hog:") {
                let service = String(description.dropFirst("earlier:cpu_hog:".count))
                guard !item.label.roots.contains(service),
                      let cpu = item.columns.first(where: { $0.service == service && $0.metric == .cpu }) else { continue }
                let onset = onsetRow(item)
                let history = cpu.values[0..<onset].filter(\.isFinite).sorted()
                let median = history[history.count / 2]
                // The hog took 60–90 % of a core for a while, and was over before the incident.
                #expect((history.last ?? 0) > median + 40, "\(service): earlier hog in the history")
                #expect(mean(cpu.values[(onset - 4)..<onset]) < median + 20, "\(service): over before onset")
                checked += 1
            }
        }
        #expect(checked >= 2)
    }

    // MARK: helpers

    func onsetRow(_ item: SyntheticCase) -> Int { Int((item.label.onset - item.startTime) / item.stepSeconds) }

    func idleServices(_ item: SyntheticCase) -> [String] {
        item.label.confounders.filter { $0.hasPrefix("idle:") }.map { String($0.dropFirst(5)) }
            .filter { service in !item.label.roots.contains(service) && !item.label.confounders.contains { $0.hasSuffix(":\(service)") && $0.hasPrefix("earlier:") } }
    }

    func mean(_ values: ArraySlice<Double>) -> Double {
        let finite = values.filter(\.isFinite)
        return finite.reduce(0, +) / Double(max(finite.count, 1))
    }

    /// Whether the mean of the incident part's first minute moved more than 3 σ from the hour before.
    func moved(_ values: [Double], onset: Int) -> Bool {
        let history = values[(onset - 360)..<onset].filter(\.isFinite)
        let average = history.reduce(0, +) / Double(history.count)
        let sigma = (history.reduce(0) { $0 + ($1 - average) * ($1 - average) } / Double(history.count - 1)).squareRoot()
        return abs(mean(values[(onset + 6)..<(onset + 30)]) - average) > 3 * max(sigma, 1e-9)
    }
}
