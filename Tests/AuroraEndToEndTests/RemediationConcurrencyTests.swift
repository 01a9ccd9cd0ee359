import AuroraCLITestSupport
import AuroraStore
import AuroraTestSupport
import Foundation
import Testing

/// Real `aurora` processes racing on one database with the spy executor.
struct RemediationWorld {
    let folder: TemporaryDirectory
    let spy: RemediationSpy
    var database: String { folder.file("aurora.db") }
    static let secret = "e2e-s3cret-value"

    init(safety: String = "cooldown-between-same-service: 0s") throws {
        folder = try TemporaryDirectory("aurora-remediation-e2e")
        spy = try RemediationSpy(directory: folder.path)
        try spy.writeConfiguration(safety: safety)
    }

    var baseArguments: [String] { ["--db", database, "--config", spy.configuration] }
    var environment: [String: String] { ["SECRET_TOKEN": Self.secret, "AURORA_ACTOR": "e2e"] }

    func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try AuroraBinary.run(baseArguments + arguments, environment: environment)
    }

    /// Starts every argument list as its own process at once and waits for all of them.
    func race(_ commands: [[String]]) throws -> [(status: Int32, stdout: String, stderr: String)] {
        let binary = try AuroraBinary.path()
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in self.environment { environment[key] = value }
        var running: [(Process, Pipe, Pipe)] = []
        for arguments in commands {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = baseArguments + arguments
            process.environment = environment
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            process.standardInput = FileHandle.nullDevice
            try process.run()
            running.append((process, out, err))
        }
        return running.map { process, out, err in
            let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, stdout, stderr)
        }
    }

    func rows() throws -> [[String: Any]] {
        let result = try run(["queue", "--all", "--json"])
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]] ?? []
    }

    func row(_ id: Int) throws -> [String: Any]? { try rows().first { ($0["id"] as? Int) == id } }

    func audit() throws -> [[String: Any]] {
        try JSONSerialization.jsonObject(with: Data(try run(["audit", "--json"]).stdout.utf8)) as? [[String: Any]] ?? []
    }
}

@Suite(.serialized) struct RemediationConcurrencyTests {
    /// Issue 9 case 1: many approvers, one execution; every loser is told "no longer pending" and exits 77.
    @Test func manyProcessesApprovingOneItemExecuteItOnce() throws {
        let world = try RemediationWorld()
        defer { world.folder.remove() }
        #expect(try world.run(["remediate", "failover", "--service", "db", "--actor", "alice"]).status == 0)
        let results = try world.race((0..<50).map { ["approve", "1", "--yes", "--actor", "approver\($0)"] })
        let winners = results.filter { $0.status == 0 }
        let losers = results.filter { $0.status == 77 }
        #expect(winners.count == 1, "\(results.map(\.stderr))")
        #expect(losers.count == 49)
        #expect(losers.allSatisfy { $0.stderr.contains("is no longer pending") })
        #expect(!results.contains { $0.stderr.contains("locked") || $0.stderr.contains("BUSY") })
        #expect(world.spy.invocations == 1)
        #expect(try world.row(1)?["state"] as? String == "succeeded")
        let audit = try world.audit()
        #expect(audit.filter { $0["action"] as? String == "remediation.approve" && $0["outcome"] as? String == "approved" }.count == 1)
        #expect(audit.filter { $0["action"] as? String == "remediation.finish" }.count == 1)
    }

    /// Issue 9 case 2: approvers and rejecters at once; the executor ran once exactly when the state says so.
    @Test func approveAgainstRejectEndsConsistently() throws {
        let world = try RemediationWorld()
        defer { world.folder.remove() }
        #expect(try world.run(["remediate", "failover", "--service", "db", "--actor", "alice"]).status == 0)
        var commands: [[String]] = []
        for index in 0..<20 {
            commands.append(["approve", "1", "--yes", "--actor", "a\(index)"])
            commands.append(["reject", "1", "--reason", "no", "--actor", "r\(index)"])
        }
        let results = try world.race(commands)
        #expect(results.filter { $0.status == 0 }.count == 1, "\(results.map(\.stderr))")
        #expect(results.filter { $0.status == 77 && $0.stderr.contains("no longer pending") }.count == 39)
        let state = try world.row(1)?["state"] as? String
        #expect(state == "succeeded" || state == "rejected")
        #expect(world.spy.invocations == (state == "succeeded" ? 1 : 0))
    }

    /// Issue 9 case 5: rate limits hold when many processes request at once.
    @Test func rateLimitsHoldUnderConcurrentRequests() throws {
        // The architecture's limits: 20 an hour, 300 s between two of one service, 5 at once.
        let world = try RemediationWorld(safety: """
            max-remediations-per-hour: 20
                cooldown-between-same-service: 300s
                max-concurrent-remediations: 5
            """)
        defer { world.folder.remove() }
        let same = try world.race((0..<30).map { _ in ["remediate", "restart", "--service", "checkout"] })
        #expect(same.filter { $0.status == 0 }.count == 1, "\(same.map(\.stderr))")
        let refused = same.filter { $0.status == 77 }
        #expect(refused.count == 29)
        #expect(refused.allSatisfy { $0.stderr.contains("rule rate.") })
        #expect(refused.contains { $0.stderr.contains("next allowed at") && $0.stderr.contains("(local ") })
        #expect(world.spy.invocations == 1)

        let perHour = try RemediationWorld(safety: "max-remediations-per-hour: 3\n    cooldown-between-same-service: 0s")
        defer { perHour.folder.remove() }
        let spread = try perHour.race((0..<10).map { ["remediate", "restart", "--service", "svc\($0)"] })
        #expect(spread.filter { $0.status == 0 }.count == 3, "\(spread.map(\.stderr))")
        #expect(spread.filter { $0.status == 77 && $0.stderr.contains("rule rate.per-hour") }.count == 7)
        #expect(perHour.spy.invocations == 3)
    }

    /// Issue 9 case 8: the aurora process is killed while its executor runs: the next start marks the
    /// remediation interrupted, records the child's process group and whether it still runs, and never re-runs it.
    @Test func sigkillDuringExecutionIsMarkedInterruptedNeverRerun() throws {
        let world = try RemediationWorld()
        defer { world.folder.remove() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try AuroraBinary.path())
        process.arguments = world.baseArguments + ["remediate", "restart", "--service", "checkout", "--param", "sleep=30"]
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in world.environment { environment[key] = value }
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait (bounded) until the spy child has started and recorded itself.
        let deadline = Date().addingTimeInterval(20)
        while world.spy.invocations == 0 && Date() < deadline { usleep(20_000) }
        #expect(world.spy.invocations == 1)
        var childGroup: Int32 = 0
        for _ in 0..<200 {
            if let row = try world.row(1), let group = row["child_pgid"] as? Int { childGroup = Int32(group); break }
            usleep(20_000)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        defer { if childGroup > 1 { kill(-childGroup, SIGKILL) } }
        let queue = try world.run(["queue", "--all", "--json"])
        #expect(queue.status == 0)
        let row = try #require(try world.row(1))
        #expect(row["state"] as? String == "interrupted")
        #expect(childGroup > 1)
        #expect(row["child_pgid"] as? Int == Int(childGroup))
        let audit = try world.audit()
        let interrupted = try #require(audit.first { $0["action"] as? String == "remediation.interrupted" })
        #expect((interrupted["detail"] as? String)?.contains("executor process group \(childGroup) is STILL RUNNING") == true)
        // Nothing runs it again: another start, an approval attempt.
        #expect(try world.run(["approve", "1", "--yes", "--actor", "bob"]).status == 77)
        #expect(world.spy.invocations == 1)
    }

    /// Issue 9 case 7: a remediation claimed (running) by a process that died before spawning — the
    /// owner pid is a process that is gone — is marked interrupted on the next start; spy count 0.
    @Test func claimWithoutAChildIsMarkedInterrupted() throws {
        let world = try RemediationWorld()
        defer { world.folder.remove() }
        #expect(try world.run(["remediate", "failover", "--service", "db", "--actor", "alice"]).status == 0)
        let dead = Process()
        dead.executableURL = URL(fileURLWithPath: "/bin/true")
        try dead.run()
        dead.waitUntilExit()
        // The crash, reproduced exactly: the claim committed by a process that is gone, no child recorded.
        let store = try Store(path: world.database)
        _ = try store.database.write { db in
            try db.run("UPDATE remediations SET state = 'running', owner_pid = ?, owner_start = 1, started_ms = 0 WHERE id = 1",
                       [.integer(Int64(dead.processIdentifier))])
        }
        #expect(try world.row(1)?["state"] as? String == "interrupted")
        let detail = try world.audit().first { $0["action"] as? String == "remediation.interrupted" }?["detail"] as? String
        #expect(detail?.contains("no executor process had started") == true)
        #expect(world.spy.invocations == 0)
    }

    /// Issue 9 case 6: a kill switch stops queued work from starting, and `killswitch check` says 77.
    @Test func killSwitchStopsQueuedWorkFromEveryPath() throws {
        let world = try RemediationWorld()
        defer { world.folder.remove() }
        for index in 0..<5 { _ = try world.run(["remediate", "failover", "--service", "db", "--param", "msg=\(index)", "--actor", "alice"]) }
        #expect(try world.run(["killswitch", "on", "--service", "db", "--reason", "hands off"]).status == 0)
        let results = try world.race((1...5).map { ["approve", String($0), "--yes", "--actor", "bob"] } + [["remediate", "restart", "--service", "db"]])
        #expect(results.allSatisfy { $0.status == 77 }, "\(results.map(\.stderr))")
        #expect(results.allSatisfy { $0.stderr.contains("killswitch.service:db") })
        #expect(try world.run(["killswitch", "check", "--service", "db"]).status == 77)
        #expect(world.spy.invocations == 0)
    }
}
