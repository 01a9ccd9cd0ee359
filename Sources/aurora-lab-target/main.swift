// aurora-lab-target: the live lab's scrape target, for tests and `aurora-bench live` only. Serves
// `/metrics` in the Prometheus text format: a latency gauge, a request rate and the requests in flight
// per service, and with `--series N` as many extra series for scale runs. While the fault file exists,
// the latency of the services it names (one per line; empty file: all) is ten times its normal level,
// and so are their requests in flight (Little's law: in flight = rate × latency); the lab's
// remediation action clears the fault by removing the file.
//
//   aurora-lab-target --port P --fault-file PATH [--services a,b] [--series N]
import FlyingFox
import Foundation

struct Options {
    var port: UInt16 = 0
    var faultFile = ""
    var services = ["checkout"]
    var series = 0

    init(_ arguments: [String]) {
        var index = 0
        func value() -> String {
            index += 1
            return index < arguments.count ? arguments[index] : ""
        }
        while index < arguments.count {
            switch arguments[index] {
            case "--port": port = UInt16(value()) ?? 0
            case "--fault-file": faultFile = value()
            case "--services": services = value().split(separator: ",").map(String.init)
            case "--series": series = Int(value()) ?? 0
            default:
                FileHandle.standardError.write(Data("aurora-lab-target: unknown argument \(arguments[index])\n".utf8))
                exit(64)
            }
            index += 1
        }
    }
}

/// The services whose latency is faulty now: read at every scrape, so the switch acts at once.
func faultyServices(_ options: Options) -> Set<String>? {
    guard !options.faultFile.isEmpty, let text = try? String(contentsOfFile: options.faultFile, encoding: .utf8) else { return nil }
    let named = Set(text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
    return named.isEmpty ? Set(options.services) : named
}

/// A small deterministic wobble so that the series are not constant (a constant series that moves
/// is an infinite deviation, which would make the lab easier than production).
func wobble(_ seed: Int, _ time: Double) -> Double {
    1 + 0.03 * sin(time * 0.7 + Double(seed)) + 0.02 * sin(time * 2.3 + Double(seed) * 1.7)
}

func exposition(_ options: Options) -> String {
    let now = Date().timeIntervalSince1970
    let faulty = faultyServices(options) ?? []
    var text = "# HELP lab_latency_seconds request latency of the lab's services\n# TYPE lab_latency_seconds gauge\n"
    for (index, service) in options.services.enumerated() {
        let level = faulty.contains(service) ? 0.5 : 0.05
        text += "lab_latency_seconds{service=\"\(service)\"} \(level * wobble(index, now))\n"
    }
    text += "# HELP lab_requests_per_second requests served per second\n# TYPE lab_requests_per_second gauge\n"
    for (index, service) in options.services.enumerated() {
        text += "lab_requests_per_second{service=\"\(service)\"} \(100 * wobble(index + 7, now))\n"
    }
    text += "# HELP lab_inflight_requests requests being served\n# TYPE lab_inflight_requests gauge\n"
    for (index, service) in options.services.enumerated() {
        let latency = (faulty.contains(service) ? 0.5 : 0.05) * wobble(index, now)
        text += "lab_inflight_requests{service=\"\(service)\"} \(100 * wobble(index + 7, now) * latency)\n"
    }
    if options.series > 0 {
        text += "# TYPE lab_scale_value gauge\n"
        for index in 0..<options.series {
            text += "lab_scale_value{service=\"svc\(index % 100)\",instance=\"i\(index)\"} \(10 * wobble(index, now))\n"
        }
    }
    return text
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
let server = HTTPServer(address: try sockaddr_in.inet(ip4: "127.0.0.1", port: options.port))
await server.appendRoute("GET /metrics") { _ in
    HTTPResponse(statusCode: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: Data(exposition(options).utf8))
}
await server.appendRoute("GET /healthz") { _ in HTTPResponse(statusCode: .ok, body: Data("ok\n".utf8)) }
try await server.run()
