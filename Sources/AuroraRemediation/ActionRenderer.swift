/// Turns an `ActionDefinition` and a request's context into a `RenderedAction`.
///
/// Rules, each a defence against injection:
/// - argv: each element is templated on its own and stays one argument, whatever it contains;
/// - shell: the script text is never templated; values reach it only as `AURORA_SERVICE`,
///   `AURORA_INCIDENT`, `AURORA_PARAM_<NAME>` (exec processes get the same variables);
/// - HTTP: URL values are percent-encoded, JSON body string values JSON-escaped, header values may use
///   `${NAME}` secrets from `secrets` and must not contain CR or LF;
/// - NUL bytes are refused everywhere.
package enum ActionRenderer {
    /// Methods that may be repeated without changing the outcome (RFC 9110 §9.2.2).
    package static let idempotentMethods: Set<String> = ["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"]

    /// Renders `action` for `context`; `secrets` resolves `${NAME}` references (pass the process environment).
    package static func render(
        _ action: ActionDefinition, context: TemplateContext, secrets: [String: String] = [:]
    ) throws(RemediationError) -> RenderedAction {
        try context.validate()
        let invocation = try render(action.executor, context: context, secrets: secrets)
        var healthCheck: RenderedHealthCheck?
        if let check = action.healthCheck {
            let probe: RenderedInvocation
            switch check.probe {
            case let .http(method, url, headers, statuses, contains):
                var spec = HTTPSpec(method: method, url: url, headers: headers, expectedStatuses: statuses, retry: RetryPolicy(maxAttempts: 1))
                spec.idempotent = true
                var request = try renderHTTP(spec, context: context, secrets: secrets)
                request.bodyContains = contains
                probe = .http(request)
            case let .exec(command):
                probe = try render(.exec(ExecSpec(command: command)), context: context, secrets: secrets)
            }
            guard check.timeout.isFinite, check.timeout > 0, check.interval.isFinite else {
                throw .invalidExecutor("health check timeout must be a positive number of seconds")
            }
            healthCheck = RenderedHealthCheck(probe: probe, retries: check.retries, interval: check.interval, timeout: check.timeout)
        }
        var rollback: RenderedRollback?
        if let spec = action.rollback {
            guard spec.timeout.isFinite, spec.timeout > 0 else { throw .invalidExecutor("rollback timeout must be a positive number of seconds") }
            rollback = RenderedRollback(invocation: try render(spec.executor, context: context, secrets: secrets), timeout: spec.timeout)
        }
        guard action.timeout.isFinite, action.timeout > 0 else { throw .invalidExecutor("timeout must be a positive number of seconds") }
        return RenderedAction(
            actionName: action.name, type: action.type, tier: action.tier, context: context, invocation: invocation,
            timeout: action.timeout, healthCheck: healthCheck, rollback: rollback
        )
    }

    static func render(_ executor: ExecutorSpec, context: TemplateContext, secrets: [String: String]) throws(RemediationError) -> RenderedInvocation {
        switch executor {
        case let .exec(spec):
            guard !spec.command.isEmpty else { throw .invalidExecutor("command is empty") }
            var argv: [String] = []
            for element in spec.command {
                if element.utf8.contains(0) { throw .nulByte(field: "command") }
                argv.append(try Template.render(element, context: context))
            }
            guard let program = argv.first, !program.isEmpty else { throw .invalidExecutor("command[0] renders empty") }
            return .process(RenderedProcess(
                argv: argv, environment: try environment(spec.environment, context: context, secrets: secrets),
                workingDirectory: try directory(spec.workingDirectory, context: context), isShell: false
            ))
        case let .shell(spec):
            guard !spec.script.utf8.contains(0) else { throw .nulByte(field: "shell script") }
            guard !spec.script.isEmpty else { throw .invalidExecutor("shell script is empty") }
            return .process(RenderedProcess(
                argv: ["/bin/sh", "-c", spec.script], environment: try environment(spec.environment, context: context, secrets: secrets),
                workingDirectory: try directory(spec.workingDirectory, context: context), isShell: true
            ))
        case let .http(spec):
            return .http(try renderHTTP(spec, context: context, secrets: secrets))
        }
    }

    private static func directory(_ template: String?, context: TemplateContext) throws(RemediationError) -> String? {
        guard let template else { return nil }
        if template.utf8.contains(0) { throw .nulByte(field: "working directory") }
        return try Template.render(template, context: context)
    }

    private static func environment(
        _ entries: [EnvironmentEntry], context: TemplateContext, secrets: [String: String]
    ) throws(RemediationError) -> [RenderedVariable] {
        var byName: [String: SecretText] = [:]
        for (name, value) in context.environmentVariables { byName[name] = SecretText(plain: value) }
        for entry in entries {
            guard isValidVariableName(entry.name) else { throw .invalidExecutor("environment variable name \"\(entry.name)\" is invalid") }
            if entry.value.utf8.contains(0) { throw .nulByte(field: "environment \(entry.name)") }
            var value = try Template.renderWithSecrets(entry.value, context: context, secrets: secrets)
            if entry.secret { value = SecretText(parts: [.secretLiteral(value.resolved)]) }
            if value.resolved.utf8.contains(0) { throw .nulByte(field: "environment \(entry.name)") }
            byName[entry.name] = value
        }
        return byName.sorted { $0.key < $1.key }.map { RenderedVariable(name: $0.key, value: $0.value) }
    }

    static func renderHTTP(_ spec: HTTPSpec, context: TemplateContext, secrets: [String: String]) throws(RemediationError) -> RenderedHTTPRequest {
        let method = spec.method.uppercased()
        guard !method.isEmpty, method.utf8.allSatisfy(isTokenByte) else { throw .invalidExecutor("HTTP method \"\(spec.method)\" is invalid") }
        if spec.url.utf8.contains(0) { throw .nulByte(field: "url") }
        let url = try Template.render(spec.url, context: context, escape: { Escaping.percentEncode($0) })
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else { throw .invalidExecutor("URL must start with http:// or https://") }
        guard !url.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F }) else { throw .invalidExecutor("URL contains spaces or control characters") }
        var headers: [RenderedHeader] = []
        for header in spec.headers {
            guard !header.name.isEmpty, header.name.utf8.allSatisfy(isTokenByte) else { throw .invalidHeaderName(header.name) }
            if header.value.utf8.contains(0) { throw .nulByte(field: "header \(header.name)") }
            let value = try Template.renderWithSecrets(header.value, context: context, secrets: secrets)
            let resolved = value.resolved.utf8
            if resolved.contains(0) { throw .nulByte(field: "header \(header.name)") }
            if resolved.contains(0x0A) || resolved.contains(0x0D) { throw .headerInjection(header: header.name) }
            headers.append(RenderedHeader(name: header.name, value: value))
        }
        var body: [UInt8]?
        if let template = spec.body {
            var text = ""
            try renderJSON(template, context: context, into: &text)
            body = Array(text.utf8)
            if !headers.contains(where: { $0.name.lowercased() == "content-type" }) {
                headers.append(RenderedHeader(name: "Content-Type", value: SecretText(plain: "application/json")))
            }
        }
        guard !spec.expectedStatuses.isEmpty else { throw .invalidExecutor("expected statuses are empty") }
        return RenderedHTTPRequest(
            method: method, url: url, headers: headers, body: body, expectedStatuses: spec.expectedStatuses.sorted(),
            retry: spec.retry, idempotent: spec.idempotent ?? idempotentMethods.contains(method),
            responseBodyLimit: max(0, spec.responseBodyLimit), bodyContains: nil
        )
    }

    private static func renderJSON(_ template: JSONTemplate, context: TemplateContext, into text: inout String) throws(RemediationError) {
        switch template {
        case let .string(value):
            if value.utf8.contains(0) { throw .nulByte(field: "body") }
            text += "\"" + Escaping.jsonEscape(try Template.render(value, context: context)) + "\""
        case let .number(value):
            guard value.isFinite else { throw .invalidExecutor("body number is not finite") }
            text += value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        case let .bool(value): text += value ? "true" : "false"
        case .null: text += "null"
        case let .array(items):
            text += "["
            for (index, item) in items.enumerated() {
                if index > 0 { text += "," }
                try renderJSON(item, context: context, into: &text)
            }
            text += "]"
        case let .object(members):
            text += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { text += "," }
                text += "\"" + Escaping.jsonEscape(member.key) + "\":"
                try renderJSON(member.value, context: context, into: &text)
            }
            text += "}"
        }
    }

    static func isValidVariableName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(first >= 48 && first <= 57) else { return false }
        return name.utf8.allSatisfy { ($0 | 0x20) >= 97 && ($0 | 0x20) <= 122 || ($0 >= 48 && $0 <= 57) || $0 == 95 }
    }

    /// RFC 9110 token characters.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        if Escaping.isUnreserved(byte) { return true }
        return Array("!#$%&'*+^`|".utf8).contains(byte)
    }
}
