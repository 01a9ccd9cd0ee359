import AuroraCore
@testable import AuroraSimulation
import Testing

@Suite("aurora-synth/1 generator")
struct GeneratorTests {
    let generator = IncidentGenerator(masterSeed: 0)

    @Test func sha256OfKnownText() {
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func sameIndexGivesIdenticalFiles() {
        let first = generator.generate(index: 3)
        let second = generator.generate(index: 3)
        #expect(first.dataCSV() == second.dataCSV())
        #expect(first.labelJSON() == second.labelJSON())
        #expect(first.graphJSON() == second.graphJSON())
    }

    @Test func differentIndexesDiffer() {
        #expect(generator.generate(index: 1).dataCSV() != generator.generate(index: 2).dataCSV())
        #expect(IncidentGenerator(masterSeed: 1).generate(index: 1).dataCSV() != generator.generate(index: 1).dataCSV())
    }

    /// Pins the bytes of two cases: any change to the generator must bump its version.
    @Test(arguments: [
        (0, "859274512d65505eac85997cbfd9a200d51aad903aa890c6de8fee606e60a9a1"),
        (10_000, "2bad44cc94dc5bb82011c901b533ccd54031f99453bb16d6dcaee3c217ef8bc2"),
        // An error fault on a mid-tier service: pins the load its callees lose.
        (10, "cddd597105cbbbaafee3e6a3cca5e965eb587f5fb54d95819cc09556e994bf12"),
    ])
    func pinnedDigests(index: Int, digest: String) {
        let generated = generator.generate(index: index)
        let all = generated.dataCSV() + generated.graphJSON() + generated.labelJSON() + generated.injectTimeText()
        #expect(SHA256.hex(all) == digest)
    }

    @Test func casesFollowTheDesign() {
        for index in 0..<12 {
            let item = generator.generate(index: index)
            let services = item.topology.services.count
            #expect(item.rowCount == 720)
            #expect(services >= 5 && services <= 30)
            let columnCount = item.columns.count
            #expect(columnCount <= services * 6)
            #expect(columnCount >= services * 6 - 2)
            let names = Set(item.topology.services.map(\.name))
            #expect(names.count == services)
            for root in item.label.roots { #expect(names.contains(root)) }
            let onsetRow = Int((item.label.onset - item.startTime) / item.stepSeconds)
            #expect(onsetRow >= 540 && onsetRow <= 552)
            if item.label.kind == .trafficSurge {
                #expect(item.label.roots == [item.topology.services[item.topology.entry].name])
            }
            // Every non-entry service has a caller.
            let callees = Set(item.topology.edges.map(\.callee))
            for service in 0..<services where service != item.topology.entry { #expect(callees.contains(service)) }
        }
    }

    @Test func streamsAreIndependentByPurpose() {
        var a = SyntheticStream(caseSeed: 7, purpose: "noise")
        var b = SyntheticStream(caseSeed: 7, purpose: "noise")
        var c = SyntheticStream(caseSeed: 7, purpose: "fault")
        let first = (0..<4).map { _ in a.uniform(0, 1) }
        #expect(first == (0..<4).map { _ in b.uniform(0, 1) })
        #expect(first != (0..<4).map { _ in c.uniform(0, 1) })
    }

    @Test func faultMovesTheIndicator() {
        // Find a non-silent fault case with its indicator present and check it moved up after onset.
        var checked = 0
        for index in 0..<24 {
            let item = generator.generate(index: index)
            guard item.label.hasFault, !item.label.silent, let indicator = item.label.indicator,
                  item.label.kind != .error, item.label.kind != .memoryLeak,
                  let column = item.columns.first(where: { $0.name == indicator }) else { continue }
            let onsetRow = Int((item.label.onset - item.startTime) / item.stepSeconds)
            let before = column.values[(onsetRow - 60)..<onsetRow].filter(\.isFinite)
            let after = column.values[(onsetRow + 10)..<(onsetRow + 70)].filter(\.isFinite)
            let meanAfter = after.reduce(0, +) / Double(after.count)
            let meanBefore = before.reduce(0, +) / Double(before.count)
            #expect(meanAfter > meanBefore, "case \(index)")
            checked += 1
        }
        #expect(checked >= 4)
    }
}
