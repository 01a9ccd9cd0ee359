import AuroraCore
import AuroraHTTP
import AuroraPrometheus
import AuroraTestSupport
import Foundation

/// The live lab: a real Prometheus scraping a target every second, a real Alertmanager, and the
/// target itself (`aurora-lab-target`), each on a free loopback port with its storage in a temporary
/// folder. The target's fault switch is a file: while it exists, the latency of the services it names
/// is ten times normal; the lab's remediation action removes it.
package final class LiveLab: @unchecked Sendable {
    // Unchecked: the servers are started and stopped from the test's own task only.
    package struct Options: Sendable {
        /// The target's services.
        package var services = ["checkout"]
        /// Extra series the target serves (scale runs).
        package var extraSeries = 0
        /// Where Alertmanager sends its webhooks (aurora's listener), if anywhere.
        package var webhookURL: String?
        /// Extra flags for Prometheus (e.g. `--query.max-samples=…` to provoke 422).
        package var prometheusFlags: [String] = []
        /// Seconds between scrapes.
        package var scrapeInterval = 1

        package init(services: [String] = ["checkout"], extraSeries: Int = 0, webhookURL: String? = nil,
                    prometheusFlags: [String] = [], scrapeInterval: Int = 1) {
            self.services = services
            self.extraSeries = extraSeries
            self.webhookURL = webhookURL
            self.prometheusFlags = prometheusFlags
            self.scrapeInterval = scrapeInterval
        }
    }

    package let folder: TemporaryDirectory
    package let options: Options
    package private(set) var targetPort: UInt16 = 0
    package private(set) var prometheusPort: UInt16 = 0
    package private(set) var alertmanagerPort: UInt16 = 0
    /// The fault switch.
    package let faultFile: String
    private(set) var target: LabProcess?
    private(set) var prometheus: LabProcess?
    private(set) var alertmanager: LabProcess?

    package var prometheusURL: String { "http://127.0.0.1:\(prometheusPort)" }
    package var alertmanagerURL: String { "http://127.0.0.1:\(alertmanagerPort)" }
    package var targetURL: String { "http://127.0.0.1:\(targetPort)" }

    /// An HTTP transport for the test's own requests.
    package let transport: any HTTPTransport = URLSessionTransport()

    /// Starts the three servers and waits until Prometheus has scraped the target.
    package init(_ options: Options = Options()) async throws {
        if let reason = LabBinaries.missingReason { throw LabError(reason) }
        self.options = options
        folder = try TemporaryDirectory("aurora-lab")
        faultFile = folder.file("fault")
        // A free port can be taken by another process between the probe and the server's bind: start
        // again on fresh ports when a server exits during start-up.
        for attempt in 1...3 {
            targetPort = try FreePort.next()
            prometheusPort = try FreePort.next()
            alertmanagerPort = try FreePort.next()
            do {
                try startTarget()
                try startPrometheus()
                try startAlertmanager()
                try await waitReady(prometheusURL + "/-/ready", process: prometheus)
                try await waitReady(alertmanagerURL + "/-/ready", process: alertmanager)
                try await waitForScrape()
                return
            } catch {
                for process in [alertmanager, prometheus, target] { process?.stop() }
                if attempt == 3 || !(error is ExitedDuringStart) {
                    folder.remove()
                    throw error
                }
                try? FileManager.default.removeItem(atPath: folder.file("prometheus-data"))
            }
        }
    }

    struct ExitedDuringStart: Error, CustomStringConvertible {
        let description: String
    }

    private func startTarget() throws {
        var arguments = ["--port", String(targetPort), "--fault-file", faultFile, "--services", options.services.joined(separator: ",")]
        if options.extraSeries > 0 { arguments += ["--series", String(options.extraSeries)] }
        target = try LabProcess(name: "target", executable: try LabBinaries.built("aurora-lab-target"), arguments: arguments,
                                logPath: folder.file("target.log"))
    }

    private func startPrometheus() throws {
        let configuration = try folder.write("prometheus.yml", """
            global:
              scrape_interval: \(options.scrapeInterval)s
              scrape_timeout: \(options.scrapeInterval)s
              evaluation_interval: \(options.scrapeInterval)s
            scrape_configs:
              - job_name: lab
                static_configs:
                  - targets: ['127.0.0.1:\(targetPort)']
            """)
        try FileManager.default.createDirectory(atPath: folder.file("prometheus-data"), withIntermediateDirectories: true)
        prometheus = try LabProcess(name: "prometheus", executable: LabBinaries.prometheus ?? "prometheus", arguments: [
            "--config.file=\(configuration)", "--storage.tsdb.path=\(folder.file("prometheus-data"))",
            "--web.listen-address=127.0.0.1:\(prometheusPort)", "--log.level=warn",
        ] + options.prometheusFlags, logPath: folder.file("prometheus.log"))
    }

    /// Starts Alertmanager (again, after `stopAlertmanager`, on the same port and storage).
    package func startAlertmanager() throws {
        let receiver: String
        if let webhook = options.webhookURL {
            receiver = """
                receivers:
                  - name: aurora
                    webhook_configs:
                      - url: '\(webhook)'
                        send_resolved: true
                """
        } else {
            receiver = "receivers:\n  - name: aurora\n"
        }
        let configuration = try folder.write("alertmanager.yml", """
            route:
              receiver: aurora
              group_by: ['alertname', 'service']
              group_wait: 1s
              group_interval: 1s
              repeat_interval: 1h
            \(receiver)
            """)
        try FileManager.default.createDirectory(atPath: folder.file("alertmanager-data"), withIntermediateDirectories: true)
        alertmanager = try LabProcess(name: "alertmanager", executable: LabBinaries.alertmanager ?? "alertmanager", arguments: [
            "--config.file=\(configuration)", "--storage.path=\(folder.file("alertmanager-data"))",
            "--web.listen-address=127.0.0.1:\(alertmanagerPort)", "--cluster.listen-address=", "--log.level=warn",
        ], logPath: folder.file("alertmanager.log"))
    }

    /// Waits until Alertmanager answers again after `startAlertmanager`.
    package func waitForAlertmanager() async throws {
        try await waitReady(alertmanagerURL + "/-/ready", process: alertmanager)
    }

    /// Stops Alertmanager (to test aurora while it is down).
    package func stopAlertmanager() {
        alertmanager?.stop()
    }

    /// Turns the fault on for these services (all the target's when empty).
    package func faultOn(_ services: [String] = []) throws {
        try Data(services.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: faultFile))
    }

    /// Clears the fault, as the remediation action does.
    package func faultOff() { try? FileManager.default.removeItem(atPath: faultFile) }

    /// Whether the fault is on.
    package var faultIsOn: Bool { FileManager.default.fileExists(atPath: faultFile) }

    /// Stops everything and removes the folder.
    package func stop() {
        for process in [alertmanager, prometheus, target] { process?.stop() }
        folder.remove()
    }

    /// The alerts Alertmanager holds now.
    package func alerts() async throws -> [Alert] {
        try await AlertmanagerClient(baseURL: alertmanagerURL, transport: transport).alerts()
    }

    /// A client of the lab's Prometheus.
    package func prometheusClient(retry: BackoffPolicy = BackoffPolicy()) -> PrometheusClient {
        PrometheusClient(baseURL: prometheusURL, transport: transport, retry: retry)
    }

    /// The log tails of every server, for a failing test's message.
    package func logs() -> String {
        [target, prometheus, alertmanager].compactMap { $0 }.map { "--- \($0.name)\n\($0.logTail())" }.joined(separator: "\n")
    }

    private func waitReady(_ url: String, process: LabProcess?, timeout: Double = 30) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if case .success(let response) = await transport.send(HTTPRequestData(method: "GET", url: url, timeout: 1)),
               response.status == 200 { return }
            if let process, !process.isRunning { throw ExitedDuringStart(description: "\(process.name) exited:\n\(process.logTail())") }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        throw LabError("\(url) not ready after \(Int(timeout)) s:\n\(logs())")
    }

    /// Waits until Prometheus holds a sample of the target.
    private func waitForScrape(timeout: Double = 30) async throws {
        let client = prometheusClient(retry: .once)
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let answer = try? await client.query("up{job=\"lab\"} == 1"), !answer.series.isEmpty { return }
            try await Task.sleep(nanoseconds: 200_000_000)
        }
        throw LabError("Prometheus did not scrape the target within \(Int(timeout)) s:\n\(logs())")
    }
}
