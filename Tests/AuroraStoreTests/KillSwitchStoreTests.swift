import AuroraStore
import AuroraTestSupport
import Foundation
import Testing

@Suite struct KillSwitchStoreTests {
    @Test func switchesBlockByScopeAndExpire() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let db = try Store(path: folder.file("k.db")).database
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        try KillSwitchStore.turnOn(KillSwitchRecord(scope: .service, target: "checkout", reason: "r", setBy: "a", setAt: now,
                                              expiresAt: now.addingTimeInterval(3600)), in: db)
        try KillSwitchStore.turnOn(KillSwitchRecord(scope: .type, target: "database-failover", reason: "", setBy: "a", setAt: now), in: db)
        #expect(try KillSwitchStore.blocking(service: "checkout", type: "clear-cache", in: db, at: now).map(\.label) == ["service:checkout"])
        #expect(try KillSwitchStore.blocking(service: "payments", type: "clear-cache", in: db, at: now).isEmpty)
        #expect(try KillSwitchStore.blocking(service: "payments", type: "database-failover", in: db, at: now).map(\.label) == ["type:database-failover"])
        // Expiry is exclusive: at the instant it expires, it is off.
        #expect(try KillSwitchStore.blocking(service: "checkout", type: nil, in: db, at: now.addingTimeInterval(3600)).isEmpty)
    }

    @Test func onAndOffAreIdempotentAndAudited() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let db = try Store(path: folder.file("k.db")).database
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let global = KillSwitchRecord(scope: .global, target: "ignored", reason: "incident", setBy: "ops", setAt: now)
        #expect(try KillSwitchStore.turnOn(global, in: db) == true)
        #expect(try KillSwitchStore.turnOn(global, in: db) == false)
        #expect(try KillSwitchStore.active(in: db, at: now).map(\.label) == ["global"])
        #expect(try KillSwitchStore.blocking(service: "any", type: "any", in: db, at: now).count == 1)
        #expect(try KillSwitchStore.turnOff(scope: .global, target: "", actor: "ops", reason: "", at: now, in: db) == true)
        #expect(try KillSwitchStore.turnOff(scope: .global, target: "", actor: "ops", reason: "", at: now, in: db) == false)
        let outcomes = try AuditLog.entries(in: db).map { "\($0.action) \($0.outcome)" }
        #expect(outcomes == ["killswitch.on on", "killswitch.on updated", "killswitch.off off", "killswitch.off already off"])
    }
}
