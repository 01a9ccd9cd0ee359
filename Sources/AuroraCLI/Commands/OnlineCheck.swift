import AuroraConfig
import AuroraCore
import AuroraExecutors
import AuroraLive
import AuroraPrometheus
import AuroraRemediation
import Foundation

/// `aurora config check --online`: tries each configured Prometheus query (an instant query, once,
/// no retries) and asks Alertmanager its version, so that a typo in PromQL shows before `watch` runs.
/// It returns what it found; `ConfigCheckReport` prints it with the file's own problems.
enum OnlineCheck {
    /// One thing tried: a query or Alertmanager, with its outcome (secrets already redacted).
    struct Line: Sendable {
        let subject: String
        let ok: Bool
        let detail: String
    }

    /// Everything tried, and the worst failure (nil when all answered).
    struct Outcome: Sendable {
        let lines: [Line]
        let worst: FailureKind?
    }

    static func run(_ configuration: Configuration, context: CommandContext) async throws -> Outcome {
        let transport = HelperProcessTransport()
        var lines: [(String, Bool, String)] = []
        var worst: FailureKind?
        var secrets: [String] = []
        if let source = try configuration.prometheusSource {
            let (pull, resolved) = try PrometheusPull.make(source: source, transport: transport, environment: context.environment,
                                                           retry: .once)
            secrets += resolved
            for query in source.queries {
                do throws(PrometheusError) {
                    let answer = try await pull.client.query(query.query)
                    let partial = answer.isPartial ? " (partial: \(answer.warnings.joined(separator: "; ")))" : ""
                    lines.append((query.displayName, true, "\(answer.series.count) series\(partial)"))
                } catch {
                    lines.append((query.displayName, false, error.description))
                    worst = error.isQueryFault || worst == .configuration ? .configuration : .unavailable
                }
            }
        }
        if let alertmanager = try configuration.alertmanager {
            let resolved: (headers: [HTTPHeaderField], secrets: [String])
            do { resolved = try SecretHeaders.resolve(alertmanager.headers, environment: context.environment) } catch {
                throw SimpleFailure(.configuration, "alertmanager.\(error.description)")
            }
            secrets += resolved.secrets
            let client = AlertmanagerClient(baseURL: alertmanager.url, headers: resolved.headers, timeout: alertmanager.timeout, transport: transport)
            do throws(AlertmanagerError) {
                lines.append(("alertmanager \(alertmanager.url)", true, "version \(try await client.version())"))
            } catch {
                lines.append(("alertmanager \(alertmanager.url)", false, error.description))
                if worst == nil { worst = .unavailable }
            }
        }
        let redactor = Redactor(secrets: secrets)
        return Outcome(lines: lines.map { Line(subject: redactor.redact($0.0), ok: $0.1, detail: redactor.redact($0.2)) }, worst: worst)
    }
}
