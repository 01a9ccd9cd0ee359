import AuroraCore
import Foundation

/// The small service fleet `aurora demo` runs on: frontend → checkout → payments → postgres, one
/// point a minute. Deterministic: the same times and faults always give the same numbers.
///
/// A connection-pool exhaustion at postgres saturates its pool and slows it down; the slowness
/// reaches payments a minute later and checkout and frontend after that, and errors appear where
/// requests time out. CPU and load stay normal — which is what tells this fault from a traffic surge.
package struct DemoFleet: Sendable {
    /// Caller → callees.
    package static let dependencies: [(caller: String, callee: String)] = [
        ("frontend", "checkout"), ("checkout", "payments"), ("payments", "postgres"),
    ]
    package static let services = ["frontend", "checkout", "payments", "postgres"]
    package static let stepSeconds: Int64 = 60

    /// A pool exhaustion at `service` from `start` until `end` (Unix seconds; nil: still going).
    package struct Fault: Sendable, Equatable {
        package var service: String
        package var start: Int64
        package var end: Int64?

        package init(service: String, start: Int64, end: Int64? = nil) {
            self.service = service
            self.start = start
            self.end = end
        }

        func active(at time: Int64, lag: Int64) -> Bool {
            time >= start + lag && (end.map { time < $0 + lag } ?? true)
        }
    }

    package let seed: UInt64

    package init(seed: UInt64 = 42) { self.seed = seed }

    /// The fleet's metrics over [from, to), every minute.
    package func series(from: Int64, to: Int64, faults: [Fault]) -> [Series] {
        var result: [Series] = []
        let baseLatency: [String: Double] = ["frontend": 120, "checkout": 80, "payments": 45, "postgres": 8]
        let depth: [String: Int64] = ["postgres": 0, "payments": 1, "checkout": 2, "frontend": 3]
        for service in Self.services {
            var latency = Series(key: SeriesKey(name: "latency_ms", labels: ["service": service]))
            var errors = Series(key: SeriesKey(name: "error_rate", labels: ["service": service]))
            var cpu = Series(key: SeriesKey(name: "cpu_percent", labels: ["service": service]))
            var requests = Series(key: SeriesKey(name: "requests_per_second", labels: ["service": service]))
            var pool: Series?
            if service == "postgres" { pool = Series(key: SeriesKey(name: "connection_pool_saturation", labels: ["service": service])) }
            var time = from - from % Self.stepSeconds
            while time < to {
                var noise = Xoshiro256(seed: seed ^ fnv1a64(service) ^ UInt64(bitPattern: time))
                let daily = sin(Double(time % 86_400) / 86_400 * 2 * .pi)
                let load = 200 * (1 + 0.3 * daily) * (1 + 0.02 * noise.nextNormal())
                // Slowness spreads one hop a minute from the faulty service to its callers.
                let hit = faults.contains { fault in
                    guard let faultDepth = depth[fault.service], let own = depth[service], own >= faultDepth else { return false }
                    return fault.active(at: time, lag: (own - faultDepth) * Self.stepSeconds)
                }
                let base = baseLatency[service] ?? 50
                let slow = hit ? (service == "postgres" ? 40.0 : 6.0) : 1.0
                latency.append(timestamp: time * 1000, value: base * slow * (1 + 0.05 * noise.nextNormal()))
                errors.append(timestamp: time * 1000, value: max(0, (hit ? 0.08 : 0.002) + 0.001 * noise.nextNormal()))
                cpu.append(timestamp: time * 1000, value: 35 + 10 * daily + 2 * noise.nextNormal())
                requests.append(timestamp: time * 1000, value: load)
                pool?.append(timestamp: time * 1000, value: min(1, hit ? 0.99 + 0.005 * noise.nextNormal() : 0.35 + 0.04 * noise.nextNormal()))
                time += Self.stepSeconds
            }
            result += [latency, errors, cpu, requests] + (pool.map { [$0] } ?? [])
        }
        return result
    }

    /// The series as a long CSV (`timestamp,metric,value,service`), for `aurora demo --write-data`.
    package static func longCSV(_ series: [Series]) -> String {
        var rows: [(Int64, String)] = []
        for item in series {
            let service = item.key[label: "service"] ?? ""
            for (time, value) in zip(item.timestamps, item.values) {
                rows.append((time, "\(time / 1000),\(item.key.name),\(String(format: "%.4f", value)),\(service)"))
            }
        }
        return "timestamp,metric,value,service\n" + rows.sorted { $0.0 < $1.0 }.map(\.1).joined(separator: "\n") + "\n"
    }
}
