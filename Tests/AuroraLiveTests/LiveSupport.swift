import AuroraLiveLab
import AuroraTestSupport
import Foundation

/// A configuration for the lab: its Prometheus as the source (1 s step), its Alertmanager as the sink.
func labConfiguration(_ lab: LiveLab, prometheusURL: String? = nil, queries: [String] = ["lab_latency_seconds"],
                      headers: String = "", extra: String = "") -> String {
    let queryLines = queries.map { "      - query: '\($0)'" }.joined(separator: "\n")
    return """
    aurora:
      sources:
        prometheus:
          url: \(prometheusURL ?? lab.prometheusURL)
          timeout: 3s
          step: 1s\(headers.isEmpty ? "" : "\n      headers: { \(headers) }")
          queries:
    \(queryLines)
      alertmanager:
        url: \(lab.alertmanagerURL)
    \(extra)
    """
}

/// Runs `aurora` with a database and configuration in `folder`.
func aurora(_ arguments: [String], in folder: TemporaryDirectory, environment: [String: String] = [:]) throws
    -> (status: Int32, stdout: String, stderr: String)
{
    try AuroraBinary.run(["--db", folder.file("aurora.db"), "--config", folder.file("aurora.yaml")] + arguments,
                         environment: environment)
}
