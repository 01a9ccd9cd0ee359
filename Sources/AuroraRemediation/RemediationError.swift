import AuroraCore

/// Why an action could not be rendered or a policy input could not be understood.
///
/// Every case carries enough text for an operator to fix the configuration or the request without
/// reading the source.
package enum RemediationError: AuroraFailure, Equatable {
    /// A template names a placeholder that does not exist (`{param.replicas}` without that parameter).
    case unknownPlaceholder(placeholder: String, template: String)
    /// A template is malformed: unbalanced braces.
    case malformedTemplate(template: String, reason: String)
    /// A value contains a NUL byte, which no executor can pass on faithfully.
    case nulByte(field: String)
    /// A header value contains CR or LF, which would let a value inject headers.
    case headerInjection(header: String)
    /// A header name is not an HTTP token.
    case invalidHeaderName(String)
    /// A parameter name cannot become an environment variable name.
    case invalidParameterName(String)
    /// Two parameters map to the same `AURORA_PARAM_*` variable.
    case parameterCollision(String, String)
    /// A `${NAME}` secret reference names a variable absent from the environment.
    case missingSecret(String)
    /// The executor configuration is unusable (empty argv, bad URL, bad method).
    case invalidExecutor(String)
    /// A freeze window text could not be parsed.
    case invalidFreezeWindow(text: String, reason: String)
    /// A time zone identifier is unknown.
    case unknownTimeZone(String)

    /// Every case is a usage or configuration problem: nothing ran.
    package var kind: FailureKind {
        switch self {
        case .invalidExecutor, .invalidFreezeWindow, .unknownTimeZone, .invalidHeaderName: .configuration
        default: .usage
        }
    }

    /// An operator-readable message.
    package var description: String {
        switch self {
        case let .unknownPlaceholder(placeholder, template):
            "unknown placeholder {\(placeholder)} in \"\(template)\" (known: {service}, {incident}, {param.NAME})"
        case let .malformedTemplate(template, reason):
            "malformed template \"\(template)\": \(reason)"
        case let .nulByte(field):
            "\(field) contains a NUL byte; values must not contain NUL"
        case let .headerInjection(header):
            "value of header \(header) contains CR or LF; header values must be a single line"
        case let .invalidHeaderName(name):
            "\"\(name)\" is not a valid HTTP header name"
        case let .invalidParameterName(name):
            "parameter name \"\(name)\" must start with a letter or _ and contain only letters, digits, _ and -"
        case let .parameterCollision(first, second):
            "parameters \"\(first)\" and \"\(second)\" map to the same environment variable"
        case let .missingSecret(name):
            "secret ${\(name)} is not set in the environment"
        case let .invalidExecutor(reason):
            "invalid executor: \(reason)"
        case let .invalidFreezeWindow(text, reason):
            "invalid freeze window \"\(text)\": \(reason)"
        case let .unknownTimeZone(name):
            "unknown time zone \"\(name)\" (use an IANA name such as Europe/Berlin)"
        }
    }
}
