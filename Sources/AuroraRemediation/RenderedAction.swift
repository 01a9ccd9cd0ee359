import AuroraCore

/// A process exactly as it will be started.
package struct RenderedProcess: Sendable, Equatable {
    /// The argv: element 0 is the program. Every element is one argument; no shell sees it.
    package var argv: [String]
    /// Variables added to the caller's base environment, sorted by name.
    package var environment: [RenderedVariable]
    /// The working directory, or nil for the caller's.
    package var workingDirectory: String?
    /// True when this is a shell executor (`/bin/sh -c SCRIPT`).
    package var isShell: Bool

    /// The environment as a dictionary of resolved values (secrets included: for the child only).
    package var resolvedEnvironment: [String: String] {
        Dictionary(environment.map { ($0.name, $0.value.resolved) }, uniquingKeysWith: { _, last in last })
    }
}

/// One environment variable of a rendered process.
package struct RenderedVariable: Sendable, Equatable {
    /// The name.
    package var name: String
    /// The value, possibly secret.
    package var value: SecretText
}

/// One HTTP header of a rendered request.
package struct RenderedHeader: Sendable, Equatable {
    /// The name.
    package var name: String
    /// The value, possibly secret.
    package var value: SecretText
}

/// An HTTP request exactly as it will be sent (before the executor adds `Idempotency-Key`).
package struct RenderedHTTPRequest: Sendable, Equatable {
    /// The method.
    package var method: String
    /// The URL, with every templated value percent-encoded.
    package var url: String
    /// The headers, in configuration order.
    package var headers: [RenderedHeader]
    /// The JSON body bytes, or nil.
    package var body: [UInt8]?
    /// Success statuses, sorted.
    package var expectedStatuses: [Int]
    /// Retry behaviour.
    package var retry: RetryPolicy
    /// Whether repeating the request is harmless (configured, or derived from the method).
    package var idempotent: Bool
    /// The most response-body bytes kept.
    package var responseBodyLimit: Int
    /// For health checks: a text the response body must contain.
    package var bodyContains: String?
}

/// What runs: a process or an HTTP request.
package enum RenderedInvocation: Sendable, Equatable {
    /// An exec or shell executor.
    case process(RenderedProcess)
    /// An HTTP executor.
    case http(RenderedHTTPRequest)
}

/// A rendered health check.
package struct RenderedHealthCheck: Sendable, Equatable {
    /// The probe.
    package var probe: RenderedInvocation
    /// Extra tries after the first failing one.
    package var retries: Int
    /// Seconds between tries.
    package var interval: Double
    /// Seconds one try may take.
    package var timeout: Double
}

/// A rendered rollback.
package struct RenderedRollback: Sendable, Equatable {
    /// What runs.
    package var invocation: RenderedInvocation
    /// Seconds it may run.
    package var timeout: Double
}

/// An action with every template resolved: exactly what would run. Approvals bind to `hash`; what
/// is shown to humans and stored is `description` / `redactedLines`, which never contains a secret.
package struct RenderedAction: Sendable, Equatable {
    /// The action's configured name.
    package var actionName: String
    /// The action's type.
    package var type: ActionType
    /// The action's tier.
    package var tier: RiskTier
    /// The context it was rendered with.
    package var context: TemplateContext
    /// The main invocation.
    package var invocation: RenderedInvocation
    /// Seconds the main invocation may run.
    package var timeout: Double
    /// The health check, if any.
    package var healthCheck: RenderedHealthCheck?
    /// The rollback, if any.
    package var rollback: RenderedRollback?

    /// Every secret value used anywhere in the action.
    package var secrets: [String] {
        var all: [String] = []
        func collect(_ invocation: RenderedInvocation) {
            switch invocation {
            case let .process(process): for variable in process.environment { all += variable.value.secrets }
            case let .http(request): for header in request.headers { all += header.value.secrets }
            }
        }
        collect(invocation)
        if let healthCheck { collect(healthCheck.probe) }
        if let rollback { collect(rollback.invocation) }
        return all
    }

    /// A redactor for this action's secrets: apply it to anything derived from running it.
    package var redactor: Redactor { Redactor(secrets: secrets) }

    /// The canonical encoding the hash covers: every field that decides what runs, length-prefixed so
    /// that no two different actions encode alike; secrets by reference (see `SecretText`).
    package var canonicalEncoding: [UInt8] {
        var encoder = CanonicalEncoder()
        encoder.field("aurora-rendered-action-v1")
        encoder.field(actionName)
        encoder.field(type.rawValue)
        encoder.field(tier.rawValue)
        encoder.field(context.service)
        encoder.field(context.incident ?? "\u{0}none")
        encoder.count(context.parameters.count)
        for (name, value) in context.parameters.sorted(by: { $0.key < $1.key }) {
            encoder.field(name)
            encoder.field(value)
        }
        encoder.invocation(invocation)
        encoder.number(timeout)
        if let healthCheck {
            encoder.field("health")
            encoder.invocation(healthCheck.probe)
            encoder.count(healthCheck.retries)
            encoder.number(healthCheck.interval)
            encoder.number(healthCheck.timeout)
        } else {
            encoder.field("no-health")
        }
        if let rollback {
            encoder.field("rollback")
            encoder.invocation(rollback.invocation)
            encoder.number(rollback.timeout)
        } else {
            encoder.field("no-rollback")
        }
        return encoder.bytes
    }

    /// SHA-256 of `canonicalEncoding`, 64 hex digits: what an approval is bound to.
    package var hash: String { SHA256.hex(canonicalEncoding) }

    /// Human-readable lines describing exactly what would run, secrets replaced by `***`.
    package var redactedLines: [String] {
        var lines = ["action \(actionName) (type \(type), tier \(tier)) on service \(context.service)"]
        if let incident = context.incident { lines.append("incident \(incident)") }
        lines += Self.describe(invocation, prefix: "run")
        lines.append("timeout \(DurationText.format(timeout))")
        if let healthCheck {
            lines += Self.describe(healthCheck.probe, prefix: "health check")
            lines.append("health check retries \(healthCheck.retries), interval \(DurationText.format(healthCheck.interval))")
        }
        if let rollback { lines += Self.describe(rollback.invocation, prefix: "rollback") }
        let redactor = self.redactor
        return lines.map { redactor.redact($0) }
    }

    /// `redactedLines` joined by newlines.
    package var redactedDescription: String { redactedLines.joined(separator: "\n") }

    private static func describe(_ invocation: RenderedInvocation, prefix: String) -> [String] {
        switch invocation {
        case let .process(process):
            var lines: [String] = []
            if process.isShell, process.argv.count == 3 {
                lines.append("\(prefix): /bin/sh -c " + quoted(process.argv[2]))
            } else {
                lines.append("\(prefix): argv " + process.argv.map(quoted).joined(separator: " "))
            }
            if let directory = process.workingDirectory { lines.append("  in directory \(quoted(directory))") }
            for variable in process.environment { lines.append("  env \(variable.name)=\(quoted(variable.value.redacted))") }
            return lines
        case let .http(request):
            var lines = ["\(prefix): \(request.method) \(request.url)"]
            for header in request.headers { lines.append("  header \(header.name): \(header.value.redacted)") }
            if let body = request.body { lines.append("  body " + String(decoding: body, as: UTF8.self)) }
            lines.append("  expect status \(request.expectedStatuses.map(String.init).joined(separator: ","))")
            if let contains = request.bodyContains { lines.append("  expect body containing \(quoted(contains))") }
            return lines
        }
    }

    /// Shell-style quoting for display only (so that spaces, quotes and newlines are visible).
    static func quoted(_ text: String) -> String {
        let safe = !text.isEmpty && text.utf8.allSatisfy { Escaping.isUnreserved($0) || $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "=") || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ",") }
        if safe { return text }
        var out = "'"
        for character in text {
            switch character {
            case "'": out += "'\\''"
            case "\n": out += "'$'\\n''"
            case "\r": out += "'$'\\r''"
            case "\t": out += "'$'\\t''"
            default: out.append(character)
            }
        }
        return out + "'"
    }
}

/// Length-prefixed field encoding for hashing.
struct CanonicalEncoder {
    var bytes: [UInt8] = []

    mutating func field(_ text: String) {
        count(text.utf8.count)
        bytes.append(contentsOf: text.utf8)
    }

    mutating func count(_ value: Int) {
        let unsigned = UInt64(truncatingIfNeeded: value)
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: unsigned >> UInt64(shift))) }
    }

    mutating func number(_ value: Double) { count(Int(truncatingIfNeeded: Int64(bitPattern: value.bitPattern))) }

    mutating func invocation(_ invocation: RenderedInvocation) {
        switch invocation {
        case let .process(process):
            field(process.isShell ? "shell" : "exec")
            count(process.argv.count)
            for argument in process.argv { field(argument) }
            count(process.environment.count)
            for variable in process.environment {
                field(variable.name)
                field(variable.value.canonical)
            }
            field(process.workingDirectory ?? "\u{0}none")
        case let .http(request):
            field("http")
            field(request.method)
            field(request.url)
            count(request.headers.count)
            for header in request.headers {
                field(header.name)
                field(header.value.canonical)
            }
            if let body = request.body {
                count(1)
                count(body.count)
                bytes += body
            } else {
                count(0)
            }
            count(request.expectedStatuses.count)
            for status in request.expectedStatuses { count(status) }
            count(request.retry.maxAttempts)
            number(request.retry.initialDelay)
            number(request.retry.maxDelay)
            count(request.idempotent ? 1 : 0)
            count(request.responseBodyLimit)
            field(request.bodyContains ?? "\u{0}none")
        }
    }
}
