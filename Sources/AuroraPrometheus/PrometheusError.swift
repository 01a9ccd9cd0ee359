import AuroraCore

/// Why a query produced no data. The query's own fault (400, 422) is told apart from the server's
/// (5xx, timeouts, connection), because only the second is worth retrying.
package enum PrometheusError: AuroraFailure, Equatable {
    /// 400 or 422: the query is malformed or cannot be evaluated. Retrying does not help.
    case badQuery(query: String, status: Int, errorType: String, message: String)
    /// The server did not answer usefully after every retry (5xx, 429, timeouts, connection errors).
    case unavailable(query: String, attempts: Int, lastProblem: String)
    /// Another status, or an answer that is not the API's JSON (a proxy's HTML page, say).
    case unexpectedAnswer(query: String, status: Int, detail: String)

    package var kind: FailureKind {
        switch self {
        case .badQuery: .configuration
        case .unavailable, .unexpectedAnswer: .unavailable
        }
    }

    /// The query this error is about.
    package var query: String {
        switch self {
        case let .badQuery(query, _, _, _), let .unavailable(query, _, _), let .unexpectedAnswer(query, _, _): query
        }
    }

    /// Whether the error is the query's fault (it will fail the same way next time).
    package var isQueryFault: Bool { if case .badQuery = self { true } else { false } }

    package var description: String {
        switch self {
        case let .badQuery(query, status, errorType, message):
            "query \(quoted(query)) was refused by Prometheus (HTTP \(status) \(errorType)): \(message)"
        case let .unavailable(query, attempts, problem):
            "query \(quoted(query)): Prometheus unavailable after \(attempts) attempt\(attempts == 1 ? "" : "s") (\(problem))"
        case let .unexpectedAnswer(query, status, detail):
            "query \(quoted(query)): unexpected answer (HTTP \(status)): \(detail)"
        }
    }

    private func quoted(_ query: String) -> String {
        let text = query.count > 160 ? String(query.prefix(157)) + "…" : query
        return "'\(text)'"
    }
}

/// A failure of the Alertmanager API.
package struct AlertmanagerError: AuroraFailure, Equatable {
    /// What went wrong, for the operator.
    package let message: String
    /// Whether trying again later may succeed (connection errors, timeouts, 5xx, 429).
    package let retryable: Bool

    /// Creates an error.
    package init(_ message: String, retryable: Bool) {
        self.message = message
        self.retryable = retryable
    }

    package var kind: FailureKind { .unavailable }
    package var description: String { "Alertmanager: \(message)" }
}
