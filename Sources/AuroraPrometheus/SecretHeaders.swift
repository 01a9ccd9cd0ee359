import AuroraCore

/// Resolves `${NAME}` references in configured header values from aurora's environment. The
/// resolved values go on the wire only; every resolved secret is handed back so that output, logs and
/// the database can redact it (`Redactor`).
package enum SecretHeaders {
    /// A reference to a variable that is not set.
    package struct MissingSecret: Error, Sendable, Equatable, CustomStringConvertible {
        /// The variable's name.
        package let name: String
        /// The header that references it.
        package let header: String
        /// Creates the error.
        package init(name: String, header: String) {
            self.name = name
            self.header = header
        }
        package var description: String { "header \(header): secret ${\(name)} is not set in the environment" }
    }

    /// The headers with every reference resolved, and the secret values they contain.
    package static func resolve(_ templates: [HeaderTemplate], environment: [String: String]) throws(MissingSecret)
        -> (headers: [HTTPHeaderField], secrets: [String])
    {
        var headers: [HTTPHeaderField] = []
        var secrets: [String] = []
        for template in templates {
            var value = ""
            var rest = Substring(template.value)
            while let open = rest.range(of: "${") {
                value += rest[..<open.lowerBound]
                guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                    // An unclosed `${` is literal text, as in the remediation templates.
                    break
                }
                let name = String(rest[open.upperBound..<close])
                guard let secret = environment[name] else { throw MissingSecret(name: name, header: template.name) }
                value += secret
                secrets.append(secret)
                rest = rest[rest.index(after: close)...]
            }
            value += rest
            headers.append(HTTPHeaderField(name: template.name, value: value))
        }
        return (headers, secrets)
    }
}
