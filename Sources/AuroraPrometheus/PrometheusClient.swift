import AuroraCore
import Foundation

/// A careful client of the Prometheus HTTP API (`/api/v1/query_range`, `/api/v1/query`), as the API
/// documents it: queries as form-encoded POST, `start`/`end` aligned to the step, at most 11,000
/// points per series per request (longer windows in several requests), sample values as strings
/// (`NaN`, `±Inf`), `warnings` marking partial data, 400/422 as the query's fault (not retried),
/// 5xx, 429 and timeouts retried with back-off, non-JSON error bodies reported by their first line.
package struct PrometheusClient: Sendable {
    /// Prometheus refuses a `query_range` that would return more than this many points per series.
    package static let maximumPointsPerRequest: Int64 = 11_000
    /// Response bytes kept; an answer larger than this is refused rather than half-read.
    package static let answerLimit = 256 << 20
    /// Points one answer is planned to hold (series × steps): about 25–30 bytes each in the API's
    /// JSON, so ~20 MB, a tenth of `answerLimit`, leaving room for more series than estimated. Kept
    /// under the store's bulk-write threshold (1 million points, which raises SQLite's page cache to
    /// 64 MiB): measured over 10,000 series, a catch-up pass peaked at 121–130 MiB with this budget,
    /// 195 MiB with 1 million, 269 MiB with 2 million (debug build, fake server).
    package static let answerPointBudget = 750_000
    /// Times an answer over `answerLimit` has its window halved and asked again before the query fails.
    package static let maximumHalvings = 4

    /// The API's base URL, without a trailing slash and without `/api/v1`.
    package let baseURL: String
    /// Headers sent with every request (secrets resolved).
    package let headers: [HTTPHeaderField]
    /// Seconds one request may take.
    package let timeout: Double
    package let transport: any HTTPTransport
    package let retry: BackoffPolicy
    package let sleeper: any Sleeper
    /// A random fraction for the back-off's jitter.
    package let jitter: @Sendable () -> Double

    /// Creates a client.
    package init(baseURL: String, headers: [HTTPHeaderField] = [], timeout: Double = 10, transport: any HTTPTransport,
                retry: BackoffPolicy = BackoffPolicy(), sleeper: any Sleeper = BackoffSleeper(),
                jitter: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.headers = headers
        self.timeout = timeout
        self.transport = transport
        self.retry = retry
        self.sleeper = sleeper
        self.jitter = jitter
    }

    /// The windows one `query_range` over `start...end` is split into: both ends aligned down to the
    /// step (so successive passes ask for the same grid and Prometheus' cache helps), each window at
    /// most 11,000 points, the next starting one step after the previous ends. Empty when the aligned
    /// end precedes the aligned start.
    /// With `stepsPerWindow`, each window holds at most that many steps (never more than 11,000).
    package static func windows(start: Int64, end: Int64, step: Int64,
                                stepsPerWindow: Int64 = maximumPointsPerRequest) -> [ClosedRange<Int64>] {
        guard step > 0 else { return [] }
        let span = max(1, min(stepsPerWindow, maximumPointsPerRequest))
        let first = floorDiv(start, step) * step
        let last = floorDiv(end, step) * step
        guard last >= first else { return [] }
        var result: [ClosedRange<Int64>] = []
        var from = first
        while from <= last {
            let to = min(from + (span - 1) * step, last)
            result.append(from...to)
            from = to + step
        }
        return result
    }

    /// Steps one request may cover so that `series` series stay within `budget` points in all.
    package static func stepsPerAnswer(series: Int, budget: Int = answerPointBudget) -> Int64 {
        max(1, min(maximumPointsPerRequest, Int64(budget / max(series, 1))))
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let quotient = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient
    }

    /// `query_range` over `start...end` (Unix milliseconds) at `step` milliseconds, in as many requests
    /// as the 11,000-point limit needs, joined into one answer. A request whose answer is over
    /// `answerLimit` (more series than planned) is asked again as two halves, up to `maximumHalvings`
    /// times, rather than failing the query.
    package func queryRange(_ query: String, start: Int64, end: Int64, step: Int64) async throws(PrometheusError) -> QueryAnswer {
        var answer = QueryAnswer()
        for window in Self.windows(start: start, end: end, step: step) {
            try await fetchRange(query, window: window, step: step, halvings: 0, into: &answer)
        }
        return answer
    }

    private func fetchRange(_ query: String, window: ClosedRange<Int64>, step: Int64, halvings: Int,
                            into answer: inout QueryAnswer) async throws(PrometheusError) {
        let fields = [("query", query), ("start", Self.seconds(window.lowerBound)), ("end", Self.seconds(window.upperBound)),
                      ("step", Self.seconds(step))]
        switch try await send(query, path: "/api/v1/query_range", fields: fields) {
        case .answer(let part):
            answer.append(part)
        case .tooLarge(let status):
            let steps = (window.upperBound - window.lowerBound) / step + 1
            guard steps > 1, halvings < Self.maximumHalvings else {
                throw .unexpectedAnswer(query: query, status: status, detail: Self.tooLargeDetail
                    + (halvings > 0 ? " (even after halving the window \(halvings) time\(halvings == 1 ? "" : "s"))" : ""))
            }
            let middle = window.lowerBound + (steps / 2 - 1) * step
            try await fetchRange(query, window: window.lowerBound...middle, step: step, halvings: halvings + 1, into: &answer)
            try await fetchRange(query, window: (middle + step)...window.upperBound, step: step, halvings: halvings + 1, into: &answer)
        }
    }

    static var tooLargeDetail: String { "the answer is larger than \(answerLimit >> 20) MiB: narrow the query or the window" }

    /// An instant query at `time` (Unix milliseconds; the server's now when nil): `config check --online`
    /// tries each configured query this way.
    package func query(_ query: String, at time: Int64? = nil) async throws(PrometheusError) -> QueryAnswer {
        var fields = [("query", query)]
        if let time { fields.append(("time", Self.seconds(time))) }
        switch try await send(query, path: "/api/v1/query", fields: fields) {
        case .answer(let answer): return answer
        case .tooLarge(let status): throw .unexpectedAnswer(query: query, status: status, detail: Self.tooLargeDetail)
        }
    }

    /// Seconds with millisecond precision, as the API reads them.
    static func seconds(_ milliseconds: Int64) -> String {
        let sign = milliseconds < 0 ? "-" : ""
        let magnitude = milliseconds.magnitude
        let fraction = magnitude % 1000
        return fraction == 0 ? "\(sign)\(magnitude / 1000)" : "\(sign)\(magnitude / 1000)." + String(format: "%03d", Int(fraction))
    }

    /// What one request gave: an answer, or a body over `answerLimit` (the caller decides whether a
    /// narrower request is possible).
    private enum Reply {
        case answer(QueryAnswer)
        case tooLarge(status: Int)
    }

    private func send(_ query: String, path: String, fields: [(String, String)]) async throws(PrometheusError) -> Reply {
        let request = HTTPRequestData(
            method: "POST", url: baseURL + path,
            headers: headers + [HTTPHeaderField(name: "Content-Type", value: "application/x-www-form-urlencoded"),
                                HTTPHeaderField(name: "Accept", value: "application/json")],
            body: FormEncoding.encode(fields), timeout: timeout, bodyLimit: Self.answerLimit)
        var lastProblem = ""
        for attempt in 1...retry.attempts {
            if Task.isCancelled { break }
            var waitHint: Double?
            switch await transport.send(request) {
            case .success(let response):
                if response.bodyTruncated { return .tooLarge(status: response.status) }
                switch try Self.interpret(response, query: query) {
                case .answer(let answer): return .answer(answer)
                case .retry(let problem, let retryAfter):
                    lastProblem = problem
                    waitHint = retryAfter
                }
            case .failure(let error):
                switch error {
                case .notSent, .tls, .redirectRefused:
                    // Set-up problems: the next attempt would fail the same way.
                    throw .unavailable(query: query, attempts: attempt, lastProblem: error.description)
                case .connectionFailed, .timedOut, .other:
                    lastProblem = error.description
                }
            }
            guard attempt < retry.attempts else {
                throw .unavailable(query: query, attempts: attempt, lastProblem: lastProblem)
            }
            let backOff = retry.delay(after: attempt, jitter: jitter())
            // A cancelled wait ends the retries: the pass is being stopped.
            do { try await sleeper.sleep(seconds: waitHint.map { min(max($0, backOff), retry.maximumDelay) } ?? backOff) } catch { break }
        }
        throw .unavailable(query: query, attempts: retry.attempts, lastProblem: lastProblem.isEmpty ? "cancelled" : lastProblem)
    }

    enum Interpretation {
        case answer(QueryAnswer)
        case retry(String, retryAfter: Double?)
    }

    /// What a response means: data, the query's fault, or a reason to try again.
    static func interpret(_ response: HTTPResponseData, query: String) throws(PrometheusError) -> Interpretation {
        if response.bodyTruncated {
            throw .unexpectedAnswer(query: query, status: response.status, detail: tooLargeDetail)
        }
        if (200..<300).contains(response.status), let answer = QueryAnswerScanner.answer(response.body) { return .answer(answer) }
        let envelope = QueryAnswerDecoder.envelope(response.body)
        switch response.status {
        case 200..<300:
            guard let envelope else {
                throw .unexpectedAnswer(query: query, status: response.status, detail: decodeProblem(response.body))
            }
            guard envelope.status == "success" else {
                throw .badQuery(query: query, status: response.status, errorType: envelope.errorType ?? "error",
                                message: envelope.error ?? "no message")
            }
            return .answer(QueryAnswerDecoder.answer(envelope))
        case 400, 422:
            throw .badQuery(query: query, status: response.status,
                            errorType: envelope?.errorType ?? (response.status == 400 ? "bad_data" : "execution"),
                            message: envelope?.error ?? firstLine(response.body))
        case 429, 500..<600:
            let detail = envelope?.error.map { "\(envelope?.errorType ?? "error"): \($0)" } ?? firstLine(response.body)
            let retryAfter = response.headers["retry-after"].flatMap(Double.init)
            return .retry("HTTP \(response.status)\(detail.isEmpty ? "" : ": \(detail)")", retryAfter: retryAfter)
        default:
            throw .unexpectedAnswer(query: query, status: response.status,
                                    detail: envelope?.error ?? (firstLine(response.body).isEmpty ? "no body" : firstLine(response.body)))
        }
    }

    /// Why a 2xx body is not a usable answer.
    static func decodeProblem(_ body: [UInt8]) -> String {
        do {
            _ = try JSONDecoder().decode(QueryAnswerDecoder.Envelope.self, from: Data(body))
            return "unreadable answer"
        } catch let error as DecodingError {
            switch error {
            case .dataCorrupted(let context), .keyNotFound(_, let context), .typeMismatch(_, let context), .valueNotFound(_, let context):
                let path = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
                if path.isEmpty { return "not the API's JSON: \(firstLine(body))" }
                return "malformed answer at \(path): \(context.debugDescription)"
            @unknown default:
                return "malformed answer"
            }
        } catch {
            return "malformed answer"
        }
    }

    /// The first line of text of a (non-JSON) body, cut short: enough to recognise a proxy's page.
    /// HTML tags are dropped, so that `<html><body><h1>502 Bad Gateway</h1>` reads "502 Bad Gateway".
    static func firstLine(_ body: [UInt8]) -> String {
        var text = ""
        var inTag = false
        for character in String(decoding: body.prefix(2048), as: UTF8.self) {
            if character == "<" { inTag = true; text.append("\n"); continue }
            if character == ">" && inTag { inTag = false; continue }
            if !inTag { text.append(character) }
        }
        let line = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.first { !$0.isEmpty } ?? ""
        return line.count > 160 ? String(line.prefix(157)) + "…" : line
    }
}
