import AuroraConfig
import AuroraCore
import AuroraExecutors
import AuroraLive
import AuroraPrometheus
import AuroraRemediation
import Foundation

/// `aurora config check --online`: tries each configured Prometheus query (an instant query, once,
/// no retries) and asks Alertmanager its version, so that a typo in PromQL shows before `watch` runs.
enum OnlineCheck {
    static func run(_ configuration: Configuration, file: String, context: CommandContext) async throws -> ExitStatus {
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
        if context.json {
            context.console.out.line(JSONValue.object([
                ("valid", .bool(worst == nil)), ("file", .string(file)),
                ("online", .array(lines.map { .object([("subject", .string(redactor.redact($0.0))), ("ok", .bool($0.1)),
                                                       ("detail", .string(redactor.redact($0.2)))]) })),
            ]).rendered())
        } else {
            context.console.out.line("\(file): ok")
            if lines.isEmpty { context.console.out.line("nothing to check online (no sources.prometheus, no alertmanager)") }
            for (subject, ok, detail) in lines {
                let mark = ok ? context.style.green("ok") : context.style.red("FAILED")
                context.console.out.line("\(mark)  \(redactor.redact(subject)): \(redactor.redact(detail))")
            }
        }
        guard let worst else { return .success }
        return ExitStatus(worst)
    }
}
