import AuroraStore
import AuroraTestSupport
import Foundation
import Testing

@Suite struct WatchStateStoreTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func oneWatcherHoldsTheLeaseUntilItStopsOrItsHeartbeatExpires() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let db = try Store(path: folder.file("w.db")).database
        let alive: (Int32) -> Bool = { _ in true }
        let first = try db.write { try WatchStateStore.claimLease(holder: "a pid 1", host: "a", pid: 1, ttl: 60, at: now, isAlive: alive, in: $0) }
        #expect(first == .acquired(previous: nil))
        let second = try db.write { try WatchStateStore.claimLease(holder: "b pid 2", host: "b", pid: 2, ttl: 60, at: now.addingTimeInterval(30),
                                                                   isAlive: alive, in: $0) }
        guard case .held(let holder) = second else { Issue.record("a second watcher took a live lease"); return }
        #expect(holder.holder == "a pid 1")
        #expect(try db.write { try WatchStateStore.heartbeat(holder: "a pid 1", ttl: 60, at: now.addingTimeInterval(50), in: $0) })
        // 100 s after the last heartbeat at +50 s, the lease (60 s) has expired: a dead watcher's lease is taken over.
        let takeover = try db.write { try WatchStateStore.claimLease(holder: "b pid 2", host: "b", pid: 2, ttl: 60, at: now.addingTimeInterval(150),
                                                                     isAlive: alive, in: $0) }
        guard case .acquired(let previous) = takeover else { Issue.record("an expired lease was not taken over"); return }
        #expect(previous?.holder == "a pid 1")
        // The old holder learns it lost the lease at its next heartbeat.
        #expect(try db.write { try WatchStateStore.heartbeat(holder: "a pid 1", ttl: 60, at: now.addingTimeInterval(151), in: $0) } == false)
        try db.write { try WatchStateStore.releaseLease(holder: "b pid 2", in: $0) }
        #expect(try db.read { try WatchStateStore.lease(in: $0) } == nil)
    }

    @Test func aLeaseOfADeadProcessOnThisHostIsTakenAtOnce() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let db = try Store(path: folder.file("w.db")).database
        _ = try db.write { try WatchStateStore.claimLease(holder: "h pid 10", host: "h", pid: 10, ttl: 60, at: now, isAlive: { _ in true }, in: $0) }
        let claim = try db.write { try WatchStateStore.claimLease(holder: "h pid 11", host: "h", pid: 11, ttl: 60, at: now.addingTimeInterval(1),
                                                                  isAlive: { $0 != 10 }, in: $0) }
        #expect(claim.previousLease?.holder == "h pid 10")
    }

    @Test func watermarksOnlyMoveForwardAndWebhookAlertsAreHandledOnce() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let db = try Store(path: folder.file("w.db")).database
        try db.write { db in
            try WatchStateStore.advanceWatermark(query: "up", to: 2_000, at: now, in: db)
            try WatchStateStore.advanceWatermark(query: "up", to: 1_000, at: now, in: db)
        }
        #expect(try db.read { try WatchStateStore.watermarks(in: $0) } == ["up": 2_000])
        let first = try db.write { try WatchStateStore.recordWebhookAlert(fingerprint: "f1", startsAt: "t", status: "firing", service: "api", at: now, in: $0) }
        let repeated = try db.write { try WatchStateStore.recordWebhookAlert(fingerprint: "f1", startsAt: "t", status: "firing", service: "api", at: now, in: $0) }
        let resolved = try db.write { try WatchStateStore.recordWebhookAlert(fingerprint: "f1", startsAt: "t", status: "resolved", service: "api", at: now, in: $0) }
        #expect(first && !repeated && resolved)
        try db.write { try WatchStateStore.linkWebhookAlert(fingerprint: "f1", startsAt: "t", status: "firing", incident: 9, in: $0) }
        #expect(try db.read { try WatchStateStore.incidentOfWebhookAlert(fingerprint: "f1", startsAt: "t", in: $0) } == 9)
    }
}

extension LeaseClaim {
    var previousLease: WatchLease? { if case .acquired(let previous) = self { previous } else { nil } }
}
