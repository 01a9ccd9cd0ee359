import AuroraCore
import AuroraLiveLab
import AuroraPrometheus
import Foundation
import Testing

/// The clients against the real servers of the live lab.
@Suite(.serialized, .enabled(if: LabBinaries.available, Comment(rawValue: LabBinaries.missingReason ?? "")))
struct LiveServerTests {
    @Test func queryRangeReadsTheLabsSeriesAndSplitsLongWindows() async throws {
        let lab = try await LiveLab()
        defer { lab.stop() }
        try await Task.sleep(nanoseconds: 2_000_000_000)
        let client = lab.prometheusClient()
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let answer = try await client.queryRange("lab_latency_seconds", start: now - 30_000, end: now, step: 1_000)
        let series = try #require(answer.series.first)
        #expect(series.labels["service"] == "checkout" && series.labels["__name__"] == "lab_latency_seconds")
        #expect(series.values.allSatisfy { $0 > 0.04 && $0 < 0.06 })
        // 25 s at a 1 ms step is 25,001 points: the real server refuses more than 11,000 per request.
        let fine = try await client.queryRange("vector(1)", start: now - 25_000, end: now, step: 1)
        #expect(fine.series.count == 1)
        #expect(fine.series[0].timestamps.count > 11_000)
        #expect(zip(fine.series[0].timestamps, fine.series[0].timestamps.dropFirst()).allSatisfy { $0 + 1 == $1 })
    }

    @Test func aBadQueryIs400AndAnExecutionError422BothNamingTheQuery() async throws {
        let lab = try await LiveLab()
        defer { lab.stop() }
        let client = lab.prometheusClient()
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        do {
            _ = try await client.queryRange("sum(rate(lab_latency_seconds[1m]", start: now - 10_000, end: now, step: 1_000)
            Issue.record("a malformed query succeeded")
        } catch {
            #expect(error.isQueryFault)
            if case .badQuery(_, let status, let type, _) = error { #expect(status == 400 && type == "bad_data") }
            #expect(error.description.contains("sum(rate(lab_latency_seconds[1m]"))
        }
        // An invalid regular expression in label_replace parses but fails at evaluation: 422.
        let failing = #"label_replace(lab_latency_seconds, "x", "$1", "service", "(")"#
        do {
            _ = try await client.queryRange(failing, start: now - 5_000, end: now, step: 1_000)
            Issue.record("a failing query succeeded")
        } catch {
            guard case .badQuery(let query, let status, let type, let message) = error else {
                Issue.record("not a query fault: \(error)")
                return
            }
            #expect(query == failing && status == 422 && type == "execution" && message.contains("regular expression"))
        }
    }

    @Test func alertmanagerTakesPostedAlertsAndForgetsResolvedOnes() async throws {
        let lab = try await LiveLab()
        defer { lab.stop() }
        let client = AlertmanagerClient(baseURL: lab.alertmanagerURL, transport: lab.transport)
        #expect(try await client.version().hasPrefix("0."))
        let publisher = AlertPublisher(client: client)
        let start = Date().addingTimeInterval(-30)
        let incident = IncidentAlert(incident: 42, service: "checkout", severity: "warning", summary: "latency up tenfold",
                                     description: "p99 0.5 s against 0.05 s", confidence: 0.8, action: "waiting for approval",
                                     startsAt: start)
        #expect(await publisher.flush([incident], now: Date()).firing == 1)
        let alerts = try await lab.alerts()
        let alert = try #require(alerts.first { $0.labels["incident"] == "42" })
        #expect(alert.labels["alertname"] == "AuroraIncident" && alert.annotations["summary"] == "latency up tenfold")
        #expect(alert.state == "active")
        var resolved = incident
        resolved.resolvedAt = Date()
        #expect(await publisher.flush([resolved], now: Date()).resolved == 1)
        #expect(try await lab.alerts().contains { $0.labels["incident"] == "42" } == false)
    }
}
