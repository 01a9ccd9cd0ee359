import AuroraCore
import AuroraPrometheus
import AuroraTestSupport
import Foundation
import Testing

@Suite struct PrometheusClientTests {
    func client(_ transport: FakeHTTPTransport, sleeper: RecordingSleeper = RecordingSleeper(), attempts: Int = 4) -> PrometheusClient {
        PrometheusClient(baseURL: "http://prom.example:9090/", transport: transport,
                         retry: BackoffPolicy(attempts: attempts, initialDelay: 0.25, maximumDelay: 4), sleeper: sleeper, jitter: { 0.5 })
    }

    @Test func windowsAreAlignedToTheStepAndHoldAtMost11000Points() {
        let step: Int64 = 15_000
        let start: Int64 = 1_700_000_007_123
        let end = start + 30_000 * step
        let windows = PrometheusClient.windows(start: start, end: end, step: step)
        #expect(windows.count == 3)
        #expect(windows.first?.lowerBound == start / step * step)
        #expect(windows.last?.upperBound == end / step * step)
        for window in windows {
            #expect(window.lowerBound % step == 0 && window.upperBound % step == 0)
            #expect((window.upperBound - window.lowerBound) / step + 1 <= PrometheusClient.maximumPointsPerRequest)
        }
        // Contiguous, no point asked twice or skipped.
        for (earlier, later) in zip(windows, windows.dropFirst()) { #expect(later.lowerBound == earlier.upperBound + step) }
        #expect(PrometheusClient.windows(start: 10_000, end: 9_000, step: 1_000).isEmpty)
    }

    @Test func aLongWindowIsSeveralFormEncodedPostsJoinedIntoOneAnswer() async throws {
        let transport = FakeHTTPTransport(answer: { request in
            let form = formFields(request)
            let start = Double(form["start"] ?? "0") ?? 0
            return json(200, matrix(#""__name__":"up","job":"api""#, [(start, "1")]))
        })
        let step: Int64 = 1_000
        let answer = try await client(transport).queryRange("up{job=\"api\"} and on() vector(1)", start: 0, end: 25_000 * step, step: step)
        let requests = transport.requests
        #expect(requests.count == 3)
        for request in requests {
            #expect(request.method == "POST")
            #expect(request.url == "http://prom.example:9090/api/v1/query_range")
            #expect(request.header("Content-Type") == "application/x-www-form-urlencoded")
            let form = formFields(request)
            #expect(form["query"] == "up{job=\"api\"} and on() vector(1)")
            #expect(form["step"] == "1")
        }
        // The raw body percent-encodes PromQL's braces, quotes and spaces.
        #expect(String(decoding: requests[0].body ?? [], as: UTF8.self).hasPrefix("query=up%7Bjob%3D%22api%22%7D+and+on%28%29"))
        #expect(formFields(requests[1])["start"] == "11000")
        #expect(answer.series.count == 1)
        #expect(answer.series[0].timestamps == [0, 11_000_000, 22_000_000])
    }

    @Test func sampleValuesAreStringsIncludingNaNAndInfinities() async throws {
        let transport = FakeHTTPTransport([json(200, matrix(#""__name__":"latency","service":"api""#,
                                                        [(1.5, "0.25"), (2.5, "NaN"), (3.5, "+Inf"), (4.5, "-Inf"), (5.5, "1e3")]))])
        let answer = try await client(transport).queryRange("latency", start: 1_000, end: 6_000, step: 1_000)
        let values = answer.series[0].values
        #expect(values[0] == 0.25 && values[1].isNaN && values[2] == .infinity && values[3] == -.infinity && values[4] == 1000)
        #expect(answer.series[0].timestamps == [1_500, 2_500, 3_500, 4_500, 5_500])
        let mapped = SeriesMapping.map(answer, query: PrometheusQuery(query: "latency"), fallbackName: "query_1")
        #expect(mapped.nonFinite == 3)
        #expect(mapped.series[0].values == [0.25, 1000])
        #expect(mapped.series[0].key == SeriesKey(name: "latency", labels: ["service": "api"]))
    }

    @Test func warningsMarkTheAnswerPartial() async throws {
        let transport = FakeHTTPTransport([json(200, matrix(#""job":"api""#, [(1, "1")], warnings: ["store eu-1 unreachable"]))])
        let answer = try await client(transport).queryRange("up", start: 1_000, end: 1_000, step: 1_000)
        #expect(answer.isPartial)
        #expect(answer.warnings == ["store eu-1 unreachable"])
    }

    @Test(arguments: [400, 422])
    func aRefusedQueryIsNamedAndNotRetried(status: Int) async {
        let transport = FakeHTTPTransport([json(status, #"{"status":"error","errorType":"bad_data","error":"parse error at char 4: unexpected \"}\""}"#)])
        await #expect {
            _ = try await client(transport).queryRange("rate(x[1m]}", start: 0, end: 60_000, step: 15_000)
        } throws: { error in
            guard let error = error as? PrometheusError, case .badQuery(let query, let answered, let type, let message) = error else { return false }
            return query == "rate(x[1m]}" && answered == status && type == "bad_data" && message.contains("parse error")
                && error.description.contains("'rate(x[1m]}'") && error.kind == .configuration
        }
        #expect(transport.requests.count == 1)
    }

    @Test func serverErrorsAndTimeoutsAreRetriedWithGrowingBackOff() async throws {
        let sleeper = RecordingSleeper()
        let transport = FakeHTTPTransport([
            json(503, "Service Unavailable"),
            .failure(.timedOut(requestSent: true)),
            json(500, #"{"status":"error","errorType":"internal","error":"boom"}"#),
            json(200, matrix(#""job":"api""#, [(1, "2")])),
        ])
        let answer = try await client(transport, sleeper: sleeper).queryRange("up", start: 1_000, end: 1_000, step: 1_000)
        #expect(answer.series[0].values == [2])
        #expect(transport.requests.count == 4)
        #expect(sleeper.sleeps.count == 3)
        #expect(sleeper.sleeps == sleeper.sleeps.sorted() && sleeper.sleeps[0] > 0)
    }

    @Test func retriesEndWithTheLastProblemAfterTheLastAttempt() async {
        let transport = FakeHTTPTransport(answer: { _ in json(502, "<html><body>\n<h1>502 Bad Gateway</h1></body></html>") })
        await #expect {
            _ = try await client(transport, attempts: 3).queryRange("up", start: 0, end: 0, step: 1_000)
        } throws: { error in
            guard let error = error as? PrometheusError, case .unavailable(_, let attempts, let problem) = error else { return false }
            return attempts == 3 && problem.contains("HTTP 502") && problem.contains("502 Bad Gateway")
        }
        #expect(transport.requests.count == 3)
    }

    @Test func aNonJSONSuccessIsAnUnexpectedAnswerNotACrash() async {
        let transport = FakeHTTPTransport([json(200, "<html>login required</html>")])
        await #expect {
            _ = try await client(transport).queryRange("up", start: 0, end: 0, step: 1_000)
        } throws: { error in
            guard let error = error as? PrometheusError, case .unexpectedAnswer(_, 200, let detail) = error else { return false }
            return detail.contains("login required")
        }
        let malformed = FakeHTTPTransport([json(200, #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"abc"]]}]}}"#)])
        await #expect(throws: PrometheusError.self) { _ = try await client(malformed).queryRange("up", start: 0, end: 0, step: 1_000) }
    }

    @Test func aMissingHelperIsNotRetried() async {
        let transport = FakeHTTPTransport([.failure(.notSent("the HTTP helper is missing"))])
        await #expect(throws: PrometheusError.self) { _ = try await client(transport).queryRange("up", start: 0, end: 0, step: 1_000) }
        #expect(transport.requests.count == 1)
    }

    @Test func oneFailingQueryDoesNotHoldTheOthersBack() async {
        let transport = FakeHTTPTransport(answer: { request in
            let query = formFields(request)["query"] ?? ""
            if query == "broken(" { return json(400, #"{"status":"error","errorType":"bad_data","error":"unexpected end of input"}"#) }
            if query == "flaky" { return json(503, "busy") }
            return json(200, matrix(#""job":"\#(query)""#, [(1, "1")]))
        })
        let fetcher = QueryFetcher(client: client(transport, attempts: 2), parallelism: 2)
        let queries = ["a", "broken(", "flaky", "b"].map { PrometheusQuery(query: $0) }
        let outcomes = await fetcher.fetch(queries.map { ($0, 0...1_000) }, step: 1_000)
        #expect(outcomes.map(\.query.query) == ["a", "broken(", "flaky", "b"])
        #expect((try? outcomes[0].result.get())?.series.count == 1)
        #expect((try? outcomes[3].result.get())?.series.count == 1)
        if case .failure(let error) = outcomes[1].result { #expect(error.isQueryFault) } else { Issue.record("broken query succeeded") }
        if case .failure(let error) = outcomes[2].result { #expect(!error.isQueryFault) } else { Issue.record("flaky query succeeded") }
    }

    @Test func theServiceComesFromTheConfiguredLabelThenServiceThenJob() {
        let answer = QueryAnswer(series: [
            QueryAnswer.Series(labels: ["__name__": "up", "job": "api"], timestamps: [1], values: [1]),
            QueryAnswer.Series(labels: ["service": "db", "job": "x"], timestamps: [1], values: [1]),
            QueryAnswer.Series(labels: ["app": "web"], timestamps: [1], values: [1]),
        ])
        let plain = SeriesMapping.map(answer, query: PrometheusQuery(query: "q"), fallbackName: "query_2")
        #expect(plain.series.map { $0.key[label: "service"] } == ["api", "db", nil])
        #expect(plain.series.map(\.key.name) == ["up", "query_2", "query_2"])
        #expect(plain.withoutService == 1)
        let byApp = SeriesMapping.map(answer, query: PrometheusQuery(query: "q", metric: "latency_p99", serviceLabel: "app", role: "latency"),
                                      fallbackName: "query_2")
        // A series' own `service` label is part of its identity and stays.
        #expect(byApp.series.map { $0.key[label: "service"] } == [nil, "db", "web"])
        #expect(byApp.series.allSatisfy { $0.key.name == "latency_p99" && $0.key[label: "role"] == "latency" })
    }

    @Test func secretHeadersResolveFromTheEnvironment() throws {
        let (headers, secrets) = try SecretHeaders.resolve([HeaderTemplate(name: "Authorization", value: "Bearer ${PROM_TOKEN}")],
                                                           environment: ["PROM_TOKEN": "s3cr3t-token"])
        #expect(headers == [HTTPHeaderField(name: "Authorization", value: "Bearer s3cr3t-token")])
        #expect(secrets == ["s3cr3t-token"])
        #expect(throws: SecretHeaders.MissingSecret(name: "PROM_TOKEN", header: "Authorization")) {
            _ = try SecretHeaders.resolve([HeaderTemplate(name: "Authorization", value: "Bearer ${PROM_TOKEN}")], environment: [:])
        }
    }
}
