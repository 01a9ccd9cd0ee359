import AuroraCore
import AuroraSimulation
import AuroraStore
import Foundation

/// The files and configuration of the demo: a fleet-state folder the remediation action really
/// changes, and an aurora.yaml with the service graph and a `restart-service` action.
struct DemoScenario {
    let folder: String
    let fleet = DemoFleet()
    /// Start of the metric history: Monday 2026-01-05 00:00 UTC.
    static let historyStart: Int64 = 1_767_571_200
    static let historyMinutes: Int64 = 2 * 24 * 60

    var stateFolder: String { folder + "/fleet" }
    var configurationPath: String { folder + "/aurora.yaml" }

    /// The marker whose presence means postgres' connection pool is exhausted.
    func faultMarker(_ service: String) -> String { stateFolder + "/\(service).pool-exhausted" }

    func isFaulty(_ service: String) -> Bool { FileManager.default.fileExists(atPath: faultMarker(service)) }

    func inject(_ service: String, at time: Int64) throws {
        try Data("pool exhausted since \(time)\n".utf8).write(to: URL(fileURLWithPath: faultMarker(service)))
    }

    /// Writes the fleet-state folder and aurora.yaml. `replay`: the configuration is for `--write-data`'s
    /// files, dated January 2026, which the quick start heals by hand long after: it lifts
    /// `remediation.stale-after`, which would (rightly, for live data) refuse to act on incidents that old.
    /// The demo itself runs on a simulated clock that keeps pace with its data, under the default.
    func prepare(replay: Bool = false) throws {
        try FileManager.default.createDirectory(atPath: stateFolder, withIntermediateDirectories: true)
        var graph = ""
        for (caller, callee) in DemoFleet.dependencies { graph += "    \(caller): { depends-on: [\(callee)] }\n" }
        // The action restarts the service's connection pool by clearing the fleet's fault marker; the
        // health check is a separate probe of the same state. Values reach the script only through
        // AURORA_SERVICE and DEMO_FLEET, never spliced into its text.
        // No cooldown between actions on one service: the quick start runs a failover and then the
        // healing loop's restart on postgres within a minute, and a 5-minute cooldown (the production
        // default) would refuse the second and leave nothing to learn. Keep the default in real use.
        let yaml = """
        aurora:
          services:
        \(graph)  safety:
            cooldown-between-same-service: 0s   # the quick start acts on postgres twice in a minute; keep 300s in production
        \(DemoFleet.poolRuleYAML)  remediation:
        \(replay ? "    stale-after: 0   # these files are a replay dated January 2026; keep the default (15m) for live data\n" : "")    actions:
              restart-service:
                type: service-restart
                shell: 'rm -f "$DEMO_FLEET/$AURORA_SERVICE.pool-exhausted" && date -u +%FT%TZ >> "$DEMO_FLEET/$AURORA_SERVICE.restarts"'
                environment:
                  DEMO_FLEET: '\(stateFolder)'
                timeout: 30s
                health-check:
                  command: [test, '!', -e, '\(stateFolder)/{service}.pool-exhausted']
                  retries: 2
                  interval: 1s
              failover-database:
                type: database-failover
                shell: 'date -u +%FT%TZ >> "$DEMO_FLEET/$AURORA_SERVICE.failovers"'
                environment:
                  DEMO_FLEET: '\(stateFolder)'
                timeout: 30s

        """
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: configurationPath))
    }

    /// When the fault at `service` began (from its marker), or nil when the service is healthy.
    func faultStart(_ service: String) -> Int64? {
        guard let data = FileManager.default.contents(atPath: faultMarker(service)) else { return nil }
        return String(decoding: data, as: UTF8.self).split(separator: " ").last
            .flatMap { Int64($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// The fleet's metrics for [from, to), with the faults the state folder says are active.
    func metrics(from: Int64, to: Int64) -> [Series] {
        let faults = DemoFleet.services.compactMap { service in faultStart(service).map { DemoFleet.Fault(service: service, start: $0) } }
        return fleet.series(from: from, to: to, faults: faults)
    }
}
