import AuroraCore
import Foundation

/// Asks an OpenAI-compatible chat-completions endpoint for a root-cause hypothesis and validates it.
///
/// Off by default. The prompt carries the gathered evidence; the reply must be one JSON object with
/// `cause`, `remediation`, `confidence` (0–1) and `reasoning` (optionally `service`). Anything else —
/// transport error, timeout, HTTP error, malformed reply — becomes a `fallback` with the reason, never
/// an error: the diagnosis stands on its other evidence.
package struct HypothesisClient: Sendable {
    /// Endpoint, model, key and timeout.
    package var settings: HypothesisSettings
    /// How requests are sent (the `aurora-http` helper live: timeouts enforced, bodies capped; a fake
    /// in tests).
    package var transport: any HTTPTransport

    /// Creates the value from its parts.
    package init(settings: HypothesisSettings, transport: any HTTPTransport) {
        self.settings = settings
        self.transport = transport
    }

    /// Asks about `diagnosis`.
    package func ask(about diagnosis: Diagnosis) async -> HypothesisOutcome {
        let request: HTTPRequestData
        do { request = try makeRequest(for: diagnosis) } catch {
            return .fallback(reason: "could not build the request: \(error)")
        }
        let response: HTTPResponseData
        switch await transport.send(request) {
        case .success(let answer): response = answer
        case .failure(let error): return .fallback(reason: "the AI endpoint did not answer: \(error)")
        }
        guard (200..<300).contains(response.status) else {
            return .fallback(reason: "the AI endpoint answered HTTP \(response.status)")
        }
        do { return .hypothesis(try Self.parseReply(Data(response.body))) } catch {
            return .fallback(reason: "the AI reply was not usable: \(error)")
        }
    }

    /// Reply bytes kept: a chat-completions answer is a few kilobytes; anything near this is not one.
    static let replyLimit = 1 << 20

    /// The chat-completions request for `diagnosis`.
    package func makeRequest(for diagnosis: Diagnosis) throws -> HTTPRequestData {
        let body = ChatRequest(
            model: settings.model,
            messages: [ChatMessage(role: "system", content: Self.systemPrompt),
                       ChatMessage(role: "user", content: Self.context(diagnosis))],
            temperature: 0, responseFormat: ResponseFormat(type: "json_object"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var headers = [HTTPHeaderField(name: "Content-Type", value: "application/json"),
                       HTTPHeaderField(name: "Accept", value: "application/json")]
        if let key = settings.apiKey, !key.isEmpty { headers.append(HTTPHeaderField(name: "Authorization", value: "Bearer \(key)")) }
        let url = settings.endpoint.appendingPathComponent("chat").appendingPathComponent("completions")
        return HTTPRequestData(method: "POST", url: url.absoluteString, headers: headers, body: [UInt8](try encoder.encode(body)),
                               timeout: settings.timeoutSeconds, bodyLimit: Self.replyLimit)
    }

    /// Validates a chat-completions reply body and extracts the hypothesis.
    package static func parseReply(_ body: Data) throws -> Hypothesis {
        let envelope: ChatResponse
        do { envelope = try JSONDecoder().decode(ChatResponse.self, from: body) } catch {
            throw HypothesisReplyError("not a chat-completions reply")
        }
        guard let content = envelope.choices.first?.message.content else {
            throw HypothesisReplyError("the reply has no message content")
        }
        var text = content.trimmingCharacters(in: .whitespacesAndNewlines)
        // Models often wrap JSON in a Markdown fence even when asked not to.
        if text.hasPrefix("```") {
            text = String(text.drop { $0 != "\n" }.dropFirst())
            guard text.hasSuffix("```") else { throw HypothesisReplyError("unterminated code fence") }
            text = String(text.dropLast(3)).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let reply: ReplyObject
        do { reply = try JSONDecoder().decode(ReplyObject.self, from: Data(text.utf8)) } catch let error as DecodingError {
            throw HypothesisReplyError(Self.explain(error))
        }
        for (name, value) in [("cause", reply.cause), ("remediation", reply.remediation), ("reasoning", reply.reasoning)]
            where value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw HypothesisReplyError("`\(name)` must be a non-empty string")
        }
        guard reply.confidence.isFinite, (0...1).contains(reply.confidence) else {
            throw HypothesisReplyError("`confidence` must be a number from 0 to 1")
        }
        let service = reply.service?.trimmingCharacters(in: .whitespacesAndNewlines)
        return Hypothesis(cause: reply.cause, remediation: reply.remediation, confidence: reply.confidence,
                          reasoning: reply.reasoning, service: service?.isEmpty == false ? service : nil)
    }

    static func explain(_ error: DecodingError) -> String {
        switch error {
        case let .keyNotFound(key, _): "`\(key.stringValue)` is missing"
        case let .typeMismatch(_, context), let .valueNotFound(_, context):
            context.codingPath.last.map { "`\($0.stringValue)` has the wrong type" } ?? "the message is not one JSON object"
        default: "the message is not one JSON object"
        }
    }

    /// `diagnosis` with the outcome recorded: a hypothesis becomes evidence on the candidate it names,
    /// a fallback a note. Confidences are left as they are (the model's own is not calibrated).
    package static func apply(_ outcome: HypothesisOutcome, to diagnosis: Diagnosis) -> Diagnosis {
        var result = diagnosis
        switch outcome {
        case let .fallback(reason):
            result.notes.append("AI hypothesis unavailable (\(reason)); diagnosed from the other evidence")
        case let .hypothesis(hypothesis):
            let text = "AI hypothesis (model confidence \(String(format: "%.2f", hypothesis.confidence))): "
                + "\(hypothesis.cause); suggests \(hypothesis.remediation). \(hypothesis.reasoning)"
            if let index = result.candidates.firstIndex(where: { $0.service == hypothesis.service }) {
                result.candidates[index].evidence.append(Evidence(.hypothesis, text))
            } else {
                result.notes.append(text)
            }
        }
        return result
    }

    static let systemPrompt = """
        You are a site-reliability engineer finding the root cause of a production incident. You get the \
        metric changes and the ranked candidates an automatic analysis found. Answer with exactly one JSON \
        object and nothing else: {"service": "<origin service>", "cause": "<root cause in one sentence>", \
        "remediation": "<remediation action name>", "confidence": <number from 0 to 1>, "reasoning": "<why, briefly>"}.
        """

    /// The evidence in plain text.
    static func context(_ diagnosis: Diagnosis) -> String {
        var lines = ["Incident window: \(diagnosis.window.start) to \(diagnosis.window.end) (Unix ms)."]
        lines.append("Largest metric changes (sustained robust z against the period before):")
        for change in diagnosis.changes.prefix(20) {
            lines.append("- \(change.key): \(change.direction.rawValue), z \(String(format: "%.1f", change.magnitude))"
                + (change.onset.map { ", from \($0)" } ?? ""))
        }
        lines.append("Candidates:")
        for candidate in diagnosis.candidates {
            lines.append("\(candidate.rank). \(candidate.service): \(candidate.cause) "
                + "(confidence \(String(format: "%.2f", candidate.confidence)))")
            for item in candidate.evidence { lines.append("   - \(item.source.rawValue): \(item.text)") }
        }
        if !diagnosis.history.isEmpty {
            lines.append("Similar past incidents:")
            for match in diagnosis.history.prefix(5) {
                lines.append("- \(match.incident.id): \(match.incident.cause)"
                    + (match.incident.remediation.map { ", remediated by \($0) (\(match.incident.outcome.rawValue))" } ?? ""))
            }
        }
        return lines.joined(separator: "\n")
    }
}

/// Why an AI reply was rejected.
package struct HypothesisReplyError: Error, CustomStringConvertible, Equatable {
    /// The message for the operator.
    package var description: String
    init(_ description: String) { self.description = description }
}

struct ChatMessage: Codable {
    var role: String
    var content: String
}

struct ResponseFormat: Codable {
    var type: String
}

struct ChatRequest: Codable {
    var model: String
    var messages: [ChatMessage]
    var temperature: Double
    var responseFormat: ResponseFormat

    enum CodingKeys: String, CodingKey {
        case model, messages, temperature
        case responseFormat = "response_format"
    }
}

struct ReplyObject: Decodable {
    var cause: String
    var remediation: String
    var confidence: Double
    var reasoning: String
    var service: String?
}

struct ChatResponse: Decodable {
    struct Choice: Decodable {
        struct Message: Decodable {
            var content: String?
        }
        var message: Message
    }
    var choices: [Choice]
}
