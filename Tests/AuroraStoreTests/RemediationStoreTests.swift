import AuroraCore
import AuroraStore
import AuroraTestSupport
import Foundation
import Testing

@Suite struct RemediationStoreTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func record(service: String = "checkout", state: RemediationState = .queued) -> RemediationRecord {
        RemediationRecord(action: "restart", actionType: "service-restart", service: service, parameters: ["replicas": "3"],
                          renderedHash: String(repeating: "a", count: 64), description: "run: argv systemctl restart checkout",
                          requester: "alice", tier: .high, state: state, createdAt: now)
    }

    @Test func transitionsAreConditionalOnTheStateTheyLeave() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let db = try Store(path: folder.file("r.db")).database
        let id = try db.write { try RemediationStore.insert(Self.record(), in: $0) }
        let first = try db.write { try RemediationStore.transition(id, from: [.queued], to: .approved, rule: "approval.granted", reason: "",
                                                                     at: Self.now, set: [(.approver, .text("bob"))], in: $0) }
        let second = try db.write { try RemediationStore.transition(id, from: [.queued], to: .approved, rule: "approval.granted", reason: "",
                                                                      at: Self.now, set: [(.approver, .text("carol"))], in: $0) }
        #expect(first && !second)
        let stored = try #require(try RemediationStore.get(id, in: db))
        #expect(stored.state == .approved)
        #expect(stored.approver == "bob")
        #expect(stored.parameters == ["replicas": "3"])
        #expect(try RemediationStore.list(states: [.queued], in: db).isEmpty)
    }

    @Test func tiersRoundTripTypedAndAnUnknownOneReadsAsCritical() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let db = try Store(path: folder.file("r.db")).database
        let id = try db.write { try RemediationStore.insert(Self.record(), in: $0) }
        #expect(try RemediationStore.get(id, in: db)?.tier == .high)
        try db.write { db in _ = try db.run("UPDATE remediations SET tier = 'enormous' WHERE id = ?", [.integer(id)]) }
        #expect(try RemediationStore.get(id, in: db)?.tier == .critical)
    }

    @Test func rateCountsSeeRunningStartsAndConsecutiveFailures() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let db = try Store(path: folder.file("r.db")).database
        try db.write { db in
            var ok = Self.record(state: .succeeded)
            ok.startedAt = Self.now.addingTimeInterval(-5000)
            ok.finishedAt = Self.now.addingTimeInterval(-4990)
            try RemediationStore.insert(ok, in: db)
            for offset in [-600.0, -300] {
                var failed = Self.record(state: .failed)
                failed.startedAt = Self.now.addingTimeInterval(offset)
                failed.finishedAt = Self.now.addingTimeInterval(offset + 10)
                try RemediationStore.insert(failed, in: db)
            }
            var running = Self.record(service: "cart", state: .running)
            running.startedAt = Self.now.addingTimeInterval(-10)
            try RemediationStore.insert(running, in: db)
            // A claim the gate refused before anything started does not count.
            var gated = Self.record(state: .refused)
            gated.startedAt = Self.now.addingTimeInterval(-5)
            try RemediationStore.insert(gated, in: db)
        }
        let counts = try RemediationStore.rateCounts(service: "checkout", now: Self.now, in: db)
        #expect(counts.running == 1)
        #expect(counts.recentStarts.count == 3)
        #expect(counts.lastStartForService == Self.now.addingTimeInterval(-300))
        #expect(counts.consecutiveFailuresForService == 2)
    }

    @Test func freezeWindowsAreStoredListedAndRemovedWithAudit() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let db = try Store(path: folder.file("r.db")).database
        let window = try FreezeWindowStore.add(FreezeWindowRecord(service: "checkout", weekly: "Fri 16:00 – Mon 08:00 Europe/Berlin", reason: "weekend",
                                                                  createdBy: "alice", createdAt: Self.now), in: db)
        #expect(try FreezeWindowStore.list(in: db) == [window])
        #expect(try FreezeWindowStore.remove(window.id, actor: "bob", at: Self.now, in: db))
        #expect(try !FreezeWindowStore.remove(window.id, actor: "bob", at: Self.now, in: db))
        #expect(try AuditLog.entries(in: db, subject: "service:checkout").map(\.action) == ["freeze.add", "freeze.remove"])
    }
}
