/// Runs several range queries at once, each with its own retries, so that one slow or failing query
/// never holds the others back: every query's outcome comes back, success or failure.
package struct QueryFetcher: Sendable {
    /// One query's outcome.
    package struct Outcome: Sendable {
        /// The query.
        package var query: PrometheusQuery
        /// Its position in the configuration (for fallback names and stable order).
        package var index: Int
        /// The window asked for (Unix milliseconds).
        package var window: ClosedRange<Int64>
        /// The answer, or why there is none.
        package var result: Result<QueryAnswer, PrometheusError>
    }

    package let client: PrometheusClient
    /// Queries in flight at once: enough to overlap round trips, few enough not to load the server.
    package let parallelism: Int

    /// Creates a fetcher.
    package init(client: PrometheusClient, parallelism: Int = 4) {
        self.client = client
        self.parallelism = max(1, parallelism)
    }

    /// Fetches every `(query, window)` pair at `step` milliseconds; outcomes in input order.
    package func fetch(_ requests: [(query: PrometheusQuery, window: ClosedRange<Int64>)], step: Int64) async -> [Outcome] {
        var outcomes: [Outcome?] = Array(repeating: nil, count: requests.count)
        await withTaskGroup(of: (Int, Outcome).self) { group in
            var next = 0
            func launch() {
                guard next < requests.count else { return }
                let index = next
                let request = requests[index]
                next += 1
                group.addTask { [client] in
                    let result: Result<QueryAnswer, PrometheusError>
                    do throws(PrometheusError) {
                        result = .success(try await client.queryRange(request.query.query, start: request.window.lowerBound,
                                                                      end: request.window.upperBound, step: step))
                    } catch {
                        result = .failure(error)
                    }
                    return (index, Outcome(query: request.query, index: index, window: request.window, result: result))
                }
            }
            for _ in 0..<parallelism { launch() }
            while let (index, outcome) = await group.next() {
                outcomes[index] = outcome
                launch()
            }
        }
        return outcomes.compactMap { $0 }
    }
}
