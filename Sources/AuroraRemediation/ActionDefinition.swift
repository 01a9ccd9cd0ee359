import AuroraCore
/// One configured remediation action (`remediation.actions` in the configuration), before templating.
package struct ActionDefinition: Sendable, Equatable {
    /// The action's name, unique in the configuration (`restart-checkout`).
    package var name: String
    /// The action's type, for kill switches and governance.
    package var type: ActionType
    /// The action's tier; defaults to the catalogue tier of its type (medium for unknown types).
    package var tier: RiskTier
    /// What runs.
    package var executor: ExecutorSpec
    /// Seconds the executor may run before it is stopped.
    package var timeout: Double
    /// Verifies the effect after a successful execution.
    package var healthCheck: HealthCheckSpec?
    /// Undoes the action when it or its health check fails.
    package var rollback: RollbackSpec?

    /// Creates an action; `tier` nil means the catalogue tier of `type` (medium when unknown). The default
    /// timeout is the configuration schema's (`remediation.actions.*.timeout`; a test keeps them equal).
    package init(
        name: String, type: ActionType, tier: RiskTier? = nil, executor: ExecutorSpec, timeout: Double = 300,
        healthCheck: HealthCheckSpec? = nil, rollback: RollbackSpec? = nil
    ) {
        self.name = name
        self.type = type
        self.tier = tier ?? ActionCatalogue.defaultTier(of: type) ?? .medium
        self.executor = executor
        self.timeout = timeout
        self.healthCheck = healthCheck
        self.rollback = rollback
    }
}

/// How an action runs.
package enum ExecutorSpec: Sendable, Equatable {
    /// An argv array run without a shell; every element is templated on its own.
    case exec(ExecSpec)
    /// A fixed script run by `/bin/sh -c`; parameters reach it only as `AURORA_*` environment variables.
    case shell(ShellSpec)
    /// An HTTP request.
    case http(HTTPSpec)
}

/// An extra environment variable for an exec or shell executor.
package struct EnvironmentEntry: Sendable, Equatable {
    /// The variable name.
    package var name: String
    /// The value template: `{service}`-style placeholders and `${NAME}` secret references.
    package var value: String
    /// When true the whole value is a secret: redacted in every output and hashed, never stored.
    package var secret: Bool

    /// Creates an entry.
    package init(name: String, value: String, secret: Bool = false) {
        self.name = name
        self.value = value
        self.secret = secret
    }
}

/// An argv executor.
package struct ExecSpec: Sendable, Equatable {
    /// The command: element 0 is the program (a path, or a name looked up in `PATH`).
    package var command: [String]
    /// The working directory, or nil for the caller's.
    package var workingDirectory: String?
    /// Extra environment variables (the base environment is chosen by the caller).
    package var environment: [EnvironmentEntry]

    /// Creates an exec executor.
    package init(command: [String], workingDirectory: String? = nil, environment: [EnvironmentEntry] = []) {
        self.command = command
        self.workingDirectory = workingDirectory
        self.environment = environment
    }
}

/// A shell-script executor.
package struct ShellSpec: Sendable, Equatable {
    /// The script text, passed verbatim to `/bin/sh -c`; never templated.
    package var script: String
    /// The working directory, or nil for the caller's.
    package var workingDirectory: String?
    /// Extra environment variables.
    package var environment: [EnvironmentEntry]

    /// Creates a shell executor.
    package init(script: String, workingDirectory: String? = nil, environment: [EnvironmentEntry] = []) {
        self.script = script
        self.workingDirectory = workingDirectory
        self.environment = environment
    }
}

/// A JSON body template: its structure is fixed by configuration; only string leaves are templated, and
/// their rendered values are JSON-escaped, so a value can never change the document's shape.
package indirect enum JSONTemplate: Sendable, Equatable {
    /// A string leaf, templated.
    case string(String)
    /// A number, verbatim.
    case number(Double)
    /// A boolean.
    case bool(Bool)
    /// `null`.
    case null
    /// An array.
    case array([JSONTemplate])
    /// An object with its keys in configuration order (keys are not templated).
    case object([(key: String, value: JSONTemplate)])

    /// Structural equality (tuples are not `Equatable` by themselves).
    package static func == (lhs: JSONTemplate, rhs: JSONTemplate) -> Bool {
        switch (lhs, rhs) {
        case let (.string(a), .string(b)): a == b
        case let (.number(a), .number(b)): a == b
        case let (.bool(a), .bool(b)): a == b
        case (.null, .null): true
        case let (.array(a), .array(b)): a == b
        case let (.object(a), .object(b)):
            a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }
}

/// Retry behaviour of the HTTP executor.
package struct RetryPolicy: Sendable, Equatable {
    /// Total attempts including the first (1 = no retry).
    package var maxAttempts: Int
    /// Delay before the second attempt, in seconds; doubles each time.
    package var initialDelay: Double
    /// Upper bound for one delay, in seconds; a `Retry-After` beyond it stops the retries.
    package var maxDelay: Double

    /// Creates a policy (defaults: 3 attempts, 0.5 s, 30 s; the attempts are the configuration schema's
    /// default `retries` plus one, kept equal by a test).
    package init(maxAttempts: Int = 3, initialDelay: Double = 0.5, maxDelay: Double = 30) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialDelay = max(0, initialDelay)
        self.maxDelay = max(0, maxDelay)
    }
}

/// An HTTP executor.
package struct HTTPSpec: Sendable, Equatable {
    /// The method, upper case (`POST`).
    package var method: String
    /// The URL template; rendered values are percent-encoded.
    package var url: String
    /// Header templates.
    package var headers: [HeaderTemplate]
    /// The JSON body, or nil for none.
    package var body: JSONTemplate?
    /// Statuses that mean success.
    package var expectedStatuses: Set<Int>
    /// Retry behaviour.
    package var retry: RetryPolicy
    /// Whether repeating the request is harmless; nil means "by method" (GET, HEAD, PUT, DELETE, OPTIONS).
    /// A timeout after a non-idempotent request was sent is never retried automatically.
    package var idempotent: Bool?
    /// The most response-body bytes kept.
    package var responseBodyLimit: Int

    /// Creates an HTTP executor (the expected statuses default to the configuration schema's, kept equal by a test).
    package init(
        method: String, url: String, headers: [HeaderTemplate] = [], body: JSONTemplate? = nil,
        expectedStatuses: Set<Int> = [200, 201, 202, 204], retry: RetryPolicy = RetryPolicy(),
        idempotent: Bool? = nil, responseBodyLimit: Int = 64 * 1024
    ) {
        self.method = method.uppercased()
        self.url = url
        self.headers = headers
        self.body = body
        self.expectedStatuses = expectedStatuses
        self.retry = retry
        self.idempotent = idempotent
        self.responseBodyLimit = responseBodyLimit
    }
}

/// A post-execution check that the action had its effect.
package struct HealthCheckSpec: Sendable, Equatable {
    /// What the check probes.
    package enum Probe: Sendable, Equatable {
        /// An HTTP request (single attempt each try); passes on an expected status and, when given,
        /// a body containing `bodyContains`.
        case http(method: String, url: String, headers: [HeaderTemplate], expectedStatuses: Set<Int>, bodyContains: String?)
        /// A command that passes when it exits 0.
        case exec(command: [String])
    }

    /// The probe.
    package var probe: Probe
    /// Extra tries after the first failing one.
    package var retries: Int
    /// Seconds between tries.
    package var interval: Double
    /// Seconds one try may take.
    package var timeout: Double

    /// Creates a health check. The defaults are the configuration schema's (`remediation.actions.*.health-check`),
    /// for specs built in code; a test keeps them equal.
    package init(probe: Probe, retries: Int = 3, interval: Double = 5, timeout: Double = 10) {
        self.probe = probe
        self.retries = max(0, retries)
        self.interval = max(0, interval)
        self.timeout = timeout
    }
}

/// What undoes an action.
package struct RollbackSpec: Sendable, Equatable {
    /// The rollback executor, templated with the same context as the action.
    package var executor: ExecutorSpec
    /// Seconds the rollback may run.
    package var timeout: Double

    /// Creates a rollback (the default timeout is the configuration schema's, kept equal by a test).
    package init(executor: ExecutorSpec, timeout: Double = 300) {
        self.executor = executor
        self.timeout = timeout
    }
}
