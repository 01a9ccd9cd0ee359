import AuroraDiagnosis
import Foundation

/// What later steps read back from a diagnosis recorded on an incident (its JSON): the symptoms for
/// history, the top candidate's service and cause for learning, and whether its confidence was
/// measured for what the command line shows. Parsed once.
package struct StoredDiagnosis {
    package var symptoms: [IncidentSymptom] = []
    package var topService: String?
    package var topCause: String?
    /// False when the top candidate rests on series that stopped reporting: its confidence (0) is no measurement.
    package var topConfidenceMeasured = true
    /// The diagnosis was a learned pattern's match: the loop decides on the pattern's confidence alone.
    package var viaLearnedPattern = false

    package init(_ text: String?) {
        guard let text, let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return }
        symptoms = (object["symptoms"] as? [[String: Any]] ?? []).compactMap { item in
            guard let service = item["service"] as? String,
                  let role = (item["role"] as? String).flatMap(MetricRole.init(rawValue:)),
                  let direction = (item["direction"] as? String).flatMap(ChangeDirection.init(rawValue:)) else { return nil }
            return IncidentSymptom(service: service, role: role, direction: direction)
        }
        let top = (object["candidates"] as? [[String: Any]])?.first
        topService = top?["service"] as? String
        topCause = top?["cause"] as? String
        topConfidenceMeasured = top?["confidenceMeasured"] as? Bool ?? true
        viaLearnedPattern = object["learned_pattern"] != nil
    }
}
