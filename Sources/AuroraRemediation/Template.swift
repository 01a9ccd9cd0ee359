/// Renders `{service}`, `{incident}` and `{param.NAME}` placeholders; `{{` and `}}` are literal braces.
///
/// Each rendered value passes through an escaping function chosen by where it lands (percent-encoding
/// in URLs, JSON escaping in bodies, nothing in an argv element, which is inert data by construction).
/// The template text itself is configuration and is never escaped.
enum Template {
    /// Renders one template.
    static func render(
        _ template: String, context: TemplateContext, escape: (String) -> String = { $0 }
    ) throws(RemediationError) -> String {
        var output = ""
        var index = template.startIndex
        while index < template.endIndex {
            let character = template[index]
            let next = template.index(after: index)
            if character == "{" {
                if next < template.endIndex, template[next] == "{" {
                    output.append("{")
                    index = template.index(after: next)
                    continue
                }
                guard let close = template[next...].firstIndex(of: "}") else {
                    throw .malformedTemplate(template: template, reason: "\"{\" without a closing \"}\" (write {{ for a literal brace)")
                }
                let name = String(template[next..<close])
                output += escape(try value(of: name, in: context, template: template))
                index = template.index(after: close)
            } else if character == "}", next < template.endIndex, template[next] == "}" {
                output.append("}")
                index = template.index(after: next)
            } else {
                output.append(character)
                index = next
            }
        }
        return output
    }

    private static func value(of name: String, in context: TemplateContext, template: String) throws(RemediationError) -> String {
        switch name {
        case "service": return context.service
        case "incident": return context.incident ?? ""
        default:
            if name.hasPrefix("param."), let value = context.parameters[String(name.dropFirst(6))] { return value }
            throw .unknownPlaceholder(placeholder: name, template: template)
        }
    }

    /// Renders a template that may also hold `${NAME}` secret references, resolved from `secrets`.
    ///
    /// `$` not followed by `{` is literal. Secret values are never escaped: they are the operator's
    /// own text for a header or environment value.
    static func renderWithSecrets(
        _ template: String, context: TemplateContext, secrets: [String: String]
    ) throws(RemediationError) -> SecretText {
        var parts: [SecretText.Part] = []
        var rest = Substring(template)
        while let dollar = rest.range(of: "${") {
            let before = String(rest[..<dollar.lowerBound])
            if !before.isEmpty { parts.append(.text(try render(before, context: context))) }
            guard let close = rest[dollar.upperBound...].firstIndex(of: "}") else {
                throw .malformedTemplate(template: template, reason: "\"${\" without a closing \"}\"")
            }
            let name = String(rest[dollar.upperBound..<close])
            guard let value = secrets[name] else { throw .missingSecret(name) }
            if value.utf8.contains(0) { throw .nulByte(field: "secret ${\(name)}") }
            parts.append(.secretReference(name: name, value: value))
            rest = rest[rest.index(after: close)...]
        }
        if !rest.isEmpty { parts.append(.text(try render(String(rest), context: context))) }
        return SecretText(parts: parts)
    }
}
