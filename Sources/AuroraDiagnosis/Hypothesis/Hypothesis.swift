import Foundation

/// An AI model's hypothesis about an incident, after validation.
package struct Hypothesis: Sendable, Equatable {
    /// The root cause in plain words.
    package var cause: String
    /// The remediation action suggested.
    package var remediation: String
    /// The model's own confidence in [0, 1]; kept apart from aurora's calibrated confidence.
    package var confidence: Double
    /// Why, in the model's words.
    package var reasoning: String
    /// The service the model names as the origin, when it names one.
    package var service: String?

    /// Creates the value from its parts.
    package init(cause: String, remediation: String, confidence: Double, reasoning: String, service: String? = nil) {
        self.cause = cause
        self.remediation = remediation
        self.confidence = confidence
        self.reasoning = reasoning
        self.service = service
    }
}

/// What asking for a hypothesis gave: one, or why not (the diagnosis then stands on the other evidence).
package enum HypothesisOutcome: Sendable, Equatable {
    case hypothesis(Hypothesis)
    case fallback(reason: String)
}

/// Where and how to ask for a hypothesis (OpenAI-compatible chat completions).
package struct HypothesisSettings: Sendable, Equatable {
    /// Base URL, e.g. `https://api.openai.com/v1`; `/chat/completions` is appended.
    package var endpoint: URL
    /// The model name sent in the request.
    package var model: String
    /// The API key itself: the caller reads it from the environment variable the configuration names.
    package var apiKey: String?
    /// Seconds before the request is abandoned and the diagnosis falls back.
    package var timeoutSeconds: Double

    /// Creates the value from its parts.
    package init(endpoint: URL, model: String, apiKey: String? = nil, timeoutSeconds: Double = 20) {
        self.endpoint = endpoint
        self.model = model
        self.apiKey = apiKey
        self.timeoutSeconds = timeoutSeconds
    }
}
