/// The values a template may use: `{service}`, `{incident}`, `{param.NAME}`.
package struct TemplateContext: Sendable, Equatable, Codable {
    /// The service the action targets.
    package var service: String
    /// The incident being remediated, if any; `{incident}` renders empty without one.
    package var incident: String?
    /// Request parameters (`--param replicas=5`).
    package var parameters: [String: String]

    /// Creates a context. Call `validate()` (rendering does) before trusting the values.
    package init(service: String, incident: String? = nil, parameters: [String: String] = [:]) {
        self.service = service
        self.incident = incident
        self.parameters = parameters
    }

    /// The environment variable carrying parameter `name`: `AURORA_PARAM_` + upper-cased name with `-` as `_`.
    package static func environmentName(forParameter name: String) -> String {
        "AURORA_PARAM_" + String(name.uppercased().map { $0 == "-" ? "_" : $0 })
    }

    /// Rejects NUL bytes anywhere and parameter names that cannot become environment variable names.
    package func validate() throws(RemediationError) {
        if service.utf8.contains(0) { throw .nulByte(field: "service") }
        if let incident, incident.utf8.contains(0) { throw .nulByte(field: "incident") }
        var seen: [String: String] = [:]
        for (name, value) in parameters.sorted(by: { $0.key < $1.key }) {
            guard Self.isValidParameterName(name) else { throw .invalidParameterName(name) }
            if value.utf8.contains(0) { throw .nulByte(field: "parameter \(name)") }
            let variable = Self.environmentName(forParameter: name)
            if let other = seen[variable] { throw .parameterCollision(other, name) }
            seen[variable] = name
        }
    }

    /// `AURORA_SERVICE`, `AURORA_INCIDENT` (when set) and one `AURORA_PARAM_*` per parameter, sorted by name.
    package var environmentVariables: [(name: String, value: String)] {
        var variables: [(name: String, value: String)] = [("AURORA_SERVICE", service)]
        if let incident { variables.append(("AURORA_INCIDENT", incident)) }
        for (name, value) in parameters { variables.append((Self.environmentName(forParameter: name), value)) }
        return variables.sorted { $0.name < $1.name }
    }

    static func isValidParameterName(_ name: String) -> Bool {
        guard let first = name.utf8.first, first == UInt8(ascii: "_") || isLetter(first) else { return false }
        return name.utf8.allSatisfy { isLetter($0) || ($0 >= 48 && $0 <= 57) || $0 == 95 || $0 == 45 }
    }

    private static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 97 && (byte | 0x20) <= 122 }
}
