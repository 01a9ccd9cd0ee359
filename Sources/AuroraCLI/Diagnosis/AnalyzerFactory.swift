import AuroraConfig
import AuroraCore
import AuroraDiagnosis
import AuroraExecutors
import AuroraRemediation
import AuroraStore
import Foundation

/// Builds the root-cause analyzer from the configuration: patterns (built-in plus user folders), the
/// service graph, past incidents from the database, thresholds and tiers.
enum AnalyzerFactory {
    static func options(_ configuration: Configuration) -> DiagnosisOptions {
        var options = DiagnosisOptions()
        if let value = configuration.value("diagnosis.change-threshold")?.double { options.changeThreshold = value }
        options.tiers = ConfidenceTiers(
            autoExecute: configuration.value("diagnosis.confidence-tiers.auto-execute")?.double ?? options.tiers.autoExecute,
            autoWithMonitoring: configuration.value("diagnosis.confidence-tiers.auto-with-monitoring")?.double ?? options.tiers.autoWithMonitoring,
            approval: configuration.value("diagnosis.confidence-tiers.approval")?.double ?? options.tiers.approval)
        return options
    }

    static func patterns(_ configuration: Configuration, context: CommandContext) throws -> [DiagnosisPattern] {
        let folders = (configuration.value("diagnosis.pattern-directories")?.list ?? []).compactMap(\.string)
            .map { URL(fileURLWithPath: context.path($0)) }
        return try PatternLibrary.builtIn() + PatternLibrary.load(userDirectories: folders)
    }

    static func graph(_ configuration: Configuration) -> ServiceGraph {
        var dependsOn: [String: [String]] = [:]
        for (service, entry) in configuration.value("services")?.pairs ?? [] {
            dependsOn[service] = (entry["depends-on"]?.list ?? []).compactMap(\.string)
        }
        return ServiceGraph(dependsOn: dependsOn)
    }

    /// Resolved incidents with a confirmed cause, as history for the analysis.
    static func history(in db: Database) throws -> [PastIncident] {
        try IncidentStore.list(in: db, statuses: [.resolved]).compactMap { incident -> PastIncident? in
            guard let cause = incident.cause, !incident.falsePositive else { return nil }
            return PastIncident(id: String(incident.id), symptoms: StoredDiagnosis(incident.diagnosis).symptoms,
                                rootService: incident.services.first, cause: cause, pattern: incident.pattern,
                                remediation: incident.remediation, outcome: .unknown)
        }
    }

    static func analyzer(_ context: CommandContext, history: [PastIncident]) throws -> RootCauseAnalyzer {
        let configuration = try context.configuration()
        return RootCauseAnalyzer(patterns: try patterns(configuration, context: context), graph: graph(configuration),
                                 history: history, options: options(configuration))
    }

    /// The optional AI hypothesis client, when `diagnosis.llm.enabled`.
    static func hypothesisClient(_ context: CommandContext) throws -> HypothesisClient? {
        let configuration = try context.configuration()
        guard configuration.value("diagnosis.llm.enabled")?.bool == true else { return nil }
        guard let text = configuration.value("diagnosis.llm.url")?.string, let url = URL(string: text), url.scheme != nil else {
            throw SimpleFailure(.configuration, "diagnosis.llm.url: a URL is needed when diagnosis.llm.enabled is true")
        }
        let key = configuration.value("diagnosis.llm.api-key-env")?.string.flatMap { context.environment[$0] }
        let settings = HypothesisSettings(endpoint: url, model: configuration.value("diagnosis.llm.model")?.string ?? "",
                                          apiKey: key, timeoutSeconds: configuration.value("diagnosis.llm.timeout")?.seconds ?? 20)
        return HypothesisClient(settings: settings, transport: HypothesisTransport())
    }
}

/// The AI hypothesis over the `aurora-http` helper (timeouts enforced exactly, bodies capped).
struct HypothesisTransport: AuroraDiagnosis.HTTPTransport {
    func send(_ request: AuroraDiagnosis.HTTPRequestData, timeout: Double) async throws -> AuroraDiagnosis.HTTPResponseData {
        let converted = AuroraRemediation.HTTPRequestData(
            method: request.method, url: request.url.absoluteString,
            headers: request.headers.map { HTTPHeaderField(name: $0.name, value: $0.value) },
            body: [UInt8](request.body), timeout: timeout, bodyLimit: 1 << 20)
        switch await HelperProcessTransport().send(converted) {
        case .success(let response): return AuroraDiagnosis.HTTPResponseData(status: response.status, body: Data(response.body))
        case .failure(let error): throw error
        }
    }
}
