import AuroraConfig
import AuroraCore
import AuroraDiagnosis
import AuroraExecutors
import AuroraRemediation
import AuroraStore
import Foundation

/// Builds the root-cause analyzer from the configuration: patterns (built-in plus user folders), the
/// service graph, past incidents from the database, thresholds and tiers.
package enum AnalyzerFactory {
    /// Thresholds and confidence tiers (`diagnosis:`).
    package static func options(_ configuration: Configuration) throws -> DiagnosisOptions {
        var options = DiagnosisOptions()
        options.changeThreshold = try configuration.number("diagnosis.change-threshold")
        options.tiers = try configuration.confidenceTiers
        return options
    }

    /// The built-in patterns plus those of `diagnosis.pattern-directories` (relative to `resolve`).
    package static func patterns(_ configuration: Configuration, resolve: (String) -> String) throws -> [DiagnosisPattern] {
        let folders = (configuration.value("diagnosis.pattern-directories")?.list ?? []).compactMap(\.string)
            .map { URL(fileURLWithPath: resolve($0)) }
        return try PatternLibrary.builtIn() + PatternLibrary.load(userDirectories: folders)
    }

    /// The service dependency graph (`services:`).
    package static func graph(_ configuration: Configuration) -> ServiceGraph {
        var dependsOn: [String: [String]] = [:]
        for (service, entry) in configuration.value("services")?.pairs ?? [] {
            dependsOn[service] = (entry["depends-on"]?.list ?? []).compactMap(\.string)
        }
        return ServiceGraph(dependsOn: dependsOn)
    }

    /// Resolved incidents with a confirmed cause, as history for the analysis.
    package static func history(in db: Database) throws -> [PastIncident] {
        try IncidentStore.list(in: db, statuses: [.resolved]).compactMap { incident -> PastIncident? in
            guard let cause = incident.cause, !incident.falsePositive else { return nil }
            return PastIncident(id: String(incident.id), symptoms: StoredDiagnosis(incident.diagnosis).symptoms,
                                rootService: incident.services.first, cause: cause, pattern: incident.pattern,
                                remediation: incident.remediation, outcome: .unknown)
        }
    }

    /// The analyzer for stored incidents, with `history` as past incidents.
    package static func analyzer(_ context: OperationsContext, history: [PastIncident]) throws -> RootCauseAnalyzer {
        let configuration = context.configuration
        return RootCauseAnalyzer(patterns: try patterns(configuration, resolve: context.path), graph: graph(configuration),
                                 history: history, options: try options(configuration))
    }

    /// The optional AI hypothesis client, when `diagnosis.llm.enabled`.
    package static func hypothesisClient(_ context: OperationsContext) throws -> HypothesisClient? {
        let configuration = context.configuration
        guard configuration.value("diagnosis.llm.enabled")?.bool == true else { return nil }
        guard let text = configuration.value("diagnosis.llm.url")?.string, let url = URL(string: text), url.scheme != nil else {
            throw SimpleFailure(.configuration, "diagnosis.llm.url: a URL is needed when diagnosis.llm.enabled is true")
        }
        let key = configuration.value("diagnosis.llm.api-key-env")?.string.flatMap { context.environment[$0] }
        let settings = HypothesisSettings(endpoint: url, model: configuration.value("diagnosis.llm.model")?.string ?? "",
                                          apiKey: key, timeoutSeconds: try configuration.seconds("diagnosis.llm.timeout"))
        return HypothesisClient(settings: settings, transport: context.httpTransport)
    }
}
