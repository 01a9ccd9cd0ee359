import AuroraCore
import AuroraPrometheus
import AuroraTestSupport
import Testing

/// Answers bounded by their size: windows sized from a series count, and an answer over the client's
/// limit asked again in halves instead of failing the query.
@Suite struct AnswerBudgetTests {
    func client(_ transport: FakeHTTPTransport) -> PrometheusClient {
        PrometheusClient(baseURL: "http://prom.example:9090", transport: transport,
                         retry: BackoffPolicy(attempts: 1), sleeper: RecordingSleeper(), jitter: { 0.5 })
    }

    /// A server whose answers are over the limit when a request covers more than `maximumSteps` steps.
    func transport(maximumSteps: Int64) -> FakeHTTPTransport {
        FakeHTTPTransport(answer: { request in
            let form = formFields(request)
            let start = Int64(form["start"] ?? "0") ?? 0
            let end = Int64(form["end"] ?? "0") ?? 0
            guard end - start + 1 <= maximumSteps else {
                return .success(HTTPResponseData(status: 200, body: Array("{\"status\":\"success\",\"data\":".utf8), bodyTruncated: true))
            }
            return json(200, matrix(#""__name__":"up""#, (start...end).map { (Double($0), "1") }))
        })
    }

    @Test func stepsPerAnswerKeepSeriesTimesStepsWithinTheBudgetAndThe11000PointRule() {
        #expect(PrometheusClient.stepsPerAnswer(series: 10_000, budget: 2_000_000) == 200)
        #expect(PrometheusClient.stepsPerAnswer(series: 1, budget: 2_000_000) == 11_000)
        #expect(PrometheusClient.stepsPerAnswer(series: 0, budget: 50) == 50)
        #expect(PrometheusClient.stepsPerAnswer(series: 3_000_000, budget: 2_000_000) == 1)
        let windows = PrometheusClient.windows(start: 0, end: 99_000, step: 1_000, stepsPerWindow: 30)
        #expect(windows.map { ($0.upperBound - $0.lowerBound) / 1_000 + 1 } == [30, 30, 30, 10])
        for (earlier, later) in zip(windows, windows.dropFirst()) { #expect(later.lowerBound == earlier.upperBound + 1_000) }
    }

    @Test func anAnswerOverTheLimitIsAskedAgainInHalvesAndJoined() async throws {
        let fake = transport(maximumSteps: 3)
        let answer = try await client(fake).queryRange("up", start: 0, end: 9_000, step: 1_000)
        #expect(answer.series.count == 1)
        #expect(answer.series.first?.timestamps == (0...9).map { Int64($0) * 1_000 })
        let asked = fake.requests.map { formFields($0) }.map { "\($0["start"] ?? "")-\($0["end"] ?? "")" }
        // 10 steps, then 5 + 5, then 2 + 3 and 2 + 3.
        #expect(asked == ["0-9", "0-4", "0-1", "2-4", "5-9", "5-6", "7-9"])
    }

    @Test func anAnswerStillOverTheLimitAfterEveryHalvingNamesTheQuery() async throws {
        let fake = transport(maximumSteps: 0)
        await #expect(throws: PrometheusError.unexpectedAnswer(
            query: "big_query", status: 200,
            detail: "the answer is larger than 256 MiB: narrow the query or the window (even after halving the window 4 times)")) {
            _ = try await client(fake).queryRange("big_query", start: 0, end: 63_000, step: 1_000)
        }
        #expect(fake.requests.count == 1 + PrometheusClient.maximumHalvings)
        // A one-step window cannot be halved: the error is immediate.
        let single = transport(maximumSteps: 0)
        await #expect(throws: PrometheusError.self) { _ = try await client(single).queryRange("q", start: 0, end: 0, step: 1_000) }
        #expect(single.requests.count == 1)
    }
}
