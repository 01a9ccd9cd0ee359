import AuroraTestSupport
import Foundation
import Testing

/// Issue 18 item 9: parallel requests for one service with `cooldown-between-same-service: 0s` are
/// never refused by the cooldown. Before, "now" was read before waiting for the write lock, so a
/// request that waited behind another saw that one's start in its future ("next allowed at" a time
/// already past): 186 of 600 were refused.
@Suite(.serialized) struct CooldownRaceTests {
    @Test func zeroCooldownNeverRefusesParallelRequestsForOneService() throws {
        let folder = try TemporaryDirectory("aurora-cooldown-race")
        defer { folder.remove() }
        let configuration = folder.file("aurora.yaml")
        try Data("""
            aurora:
              safety:
                cooldown-between-same-service: 0s
                max-concurrent-remediations: 1000
                max-remediations-per-hour: 100000
              remediation:
                actions:
                  restart:
                    type: service-restart
                    tier: low
                    command: [/bin/true]
            """.utf8).write(to: URL(fileURLWithPath: configuration))
        let base = ["--db", folder.file("aurora.db"), "--config", configuration]
        // One request first, so the database exists and this service has a recorded start.
        let first = try AuroraProcess.run(base + ["remediate", "restart", "--service", "checkout"], in: folder)
        #expect(first.status == 0, "\(first.stderr)")
        let rounds = Iterations.count(ci: 3)
        var refusals: [String] = []
        var total = 0
        for round in 0..<rounds {
            let children = try (0..<20).map { index in
                try AuroraProcess(base + ["remediate", "restart", "--service", "checkout"], in: folder, label: "r\(round)-\(index)")
            }
            for child in children {
                let status = child.wait()
                total += 1
                if status != 0 { refusals.append("exit \(status): \(child.stderr)") }
            }
        }
        #expect(refusals.isEmpty, "\(refusals.count) of \(total) refused: \(refusals.prefix(3))")
    }
}
