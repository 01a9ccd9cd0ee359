import AuroraCore
import AuroraRemediation
import Foundation

/// Sends a rendered HTTP request with bounded retries.
///
/// - Retried: connection failures (nothing was sent), 429 and 5xx, and — for idempotent requests only —
///   timeouts and other errors after which the request may have been sent. Back-off doubles from
///   `initialDelay` up to `maxDelay`, with "equal jitter" (half fixed, half random from a generator
///   seeded by the idempotency key, so runs are reproducible); a `Retry-After` (seconds or HTTP date)
///   lengthens the wait, and one beyond `maxDelay` ends the retries.
/// - Not retried: every other status (400, 401, 403, 404, 409, 422, redirects…), TLS failures, refused
///   cross-host redirects.
/// - A timeout (or unclassified error) after a **non-idempotent** request may have been sent ends with
///   `unknown`: a human must find out whether it took effect.
/// - Every attempt carries the same `Idempotency-Key` header (unless configured explicitly).
package struct HTTPExecutor: Sendable {
    let transport: any HTTPTransport
    let sleeper: any Sleeper
    let clock: any MonotonicClock
    let wallClock: any WallClock

    /// Creates an executor over a transport, a sleeper (for back-off), a monotonic clock (durations) and
    /// the wall clock (only to read `Retry-After` dates).
    package init(transport: any HTTPTransport, sleeper: any Sleeper = TaskSleeper(), clock: any MonotonicClock = SystemMonotonicClock(),
                wallClock: any WallClock = SystemWallClock()) {
        self.transport = transport
        self.sleeper = sleeper
        self.clock = clock
        self.wallClock = wallClock
    }

    /// Statuses that no retry can fix.
    package static let nonRetryableStatuses: Set<Int> = [400, 401, 403, 404, 409, 422]

    /// Sends `request` (each attempt may take `timeout` seconds) and reports, redacted by `redactor`.
    /// `stopRequested` is checked after each attempt: once it gives a reason, nothing is retried.
    /// `onProcessStart` hears of each helper process the transport starts.
    package func execute(_ request: RenderedHTTPRequest, timeout: Double, idempotencyKey: String?, redactor: Redactor,
                        stopRequested: @escaping @Sendable () -> String? = { nil },
                        onProcessStart: @escaping @Sendable (ProcessStart) -> Void = { _ in }) async -> InvocationReport {
        let started = clock.seconds()
        var headers = request.headers.map { HTTPHeaderField(name: $0.name, value: $0.value.resolved) }
        if let idempotencyKey, !headers.contains(where: { $0.name.lowercased() == "idempotency-key" }) {
            headers.append(HTTPHeaderField(name: "Idempotency-Key", value: idempotencyKey))
        }
        let wire = HTTPRequestData(method: request.method, url: request.url, headers: headers, body: request.body, timeout: timeout,
                                   bodyLimit: request.responseBodyLimit)
        var random = Xoshiro256(seed: fnv1a64(idempotencyKey ?? request.url))
        var log: [String] = []
        var attempt = 0

        func report(_ succeeded: Bool, unknown: Bool = false, reason: String?, response: HTTPResponseData?) -> InvocationReport {
            InvocationReport(
                succeeded: succeeded, unknown: unknown, reason: reason.map { redactor.redact($0) }, attempts: attempt,
                duration: clock.seconds() - started, attemptLog: log.map { redactor.redact($0) }, httpStatus: response?.status,
                output: response.map { redactor.redact(String(decoding: $0.body, as: UTF8.self)) } ?? "",
                outputTruncated: response?.bodyTruncated ?? false
            )
        }

        while true {
            attempt += 1
            let result = await transport.send(wire, onProcessStart: onProcessStart)
            if let stop = stopRequested() {
                // Interrupted while this attempt was in flight: whatever the transport saw, the request
                // may have been sent; nothing is retried.
                if case .success(let answer) = result, request.expectedStatuses.contains(answer.status) {
                    return report(true, reason: nil, response: answer)
                }
                if case .failure(.notSent(let detail)) = result {
                    return report(false, reason: "\(stop): the request was not sent (\(detail))", response: nil)
                }
                return report(false, unknown: true, reason: "\(stop): unknown: the request may have been sent", response: nil)
            }
            var retryAfter: Double?
            let failure: String
            let response: HTTPResponseData?
            switch result {
            case let .success(answer):
                response = answer
                log.append(String(answer.status))
                if request.expectedStatuses.contains(answer.status) {
                    if let needle = request.bodyContains, !String(decoding: answer.body, as: UTF8.self).contains(needle) {
                        return report(false, reason: "HTTP \(answer.status) but the body does not contain \"\(needle)\"", response: answer)
                    }
                    return report(true, reason: nil, response: answer)
                }
                let retryable = answer.status == 429 || (500...599).contains(answer.status)
                if !retryable || Self.nonRetryableStatuses.contains(answer.status) {
                    return report(false, reason: "HTTP \(answer.status) (expected \(request.expectedStatuses.map(String.init).joined(separator: ",")))", response: answer)
                }
                failure = "HTTP \(answer.status)"
                retryAfter = answer.headers["retry-after"].flatMap { Self.retryAfterSeconds($0, now: wallClock.now()) }
            case let .failure(error):
                response = nil
                log.append(error.description)
                switch error {
                case .connectionFailed, .timedOut(requestSent: false):
                    break
                case .timedOut(requestSent: true), .other:
                    if !request.idempotent {
                        return report(false, unknown: true,
                                      reason: "\(error.description) after the request was sent; \(request.method) is not idempotent, so it is not retried and its effect is unknown",
                                      response: nil)
                    }
                case .tls, .redirectRefused, .notSent:
                    return report(false, reason: error.description, response: nil)
                }
                failure = error.description
            }
            guard attempt < request.retry.maxAttempts else {
                return report(false, reason: "\(failure) after \(attempt) attempt\(attempt == 1 ? "" : "s")", response: response)
            }
            let base = min(request.retry.maxDelay, request.retry.initialDelay * pow(2, Double(attempt - 1)))
            var delay = base / 2 + random.nextUnit() * base / 2
            if let retryAfter {
                if retryAfter > request.retry.maxDelay {
                    return report(false, reason: "\(failure); Retry-After \(Int(retryAfter))s exceeds the \(Int(request.retry.maxDelay))s retry limit", response: response)
                }
                delay = max(delay, retryAfter)
            }
            do {
                try await sleeper.sleep(seconds: delay)
            } catch {
                return report(false, reason: "\(failure); cancelled while waiting to retry", response: response)
            }
        }
    }

    /// Seconds to wait for a `Retry-After` value: delay-seconds or an HTTP date (RFC 9110 §10.2.3).
    static func retryAfterSeconds(_ value: String, now: Date) -> Double? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(trimmed), seconds >= 0 { return Double(seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        guard let date = formatter.date(from: trimmed) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }
}
