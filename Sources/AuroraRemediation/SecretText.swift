import AuroraCore
/// A rendered value that may contain secrets, kept in parts so that what is shown, what is hashed and
/// what is sent can differ: shown redacted (`***`), hashed by reference, sent resolved.
package struct SecretText: Sendable, Equatable {
    /// One part of the value.
    package enum Part: Sendable, Equatable {
        /// Plain, rendered text.
        case text(String)
        /// A `${NAME}` reference and its resolved value.
        case secretReference(name: String, value: String)
        /// A value marked secret in the configuration as a whole.
        case secretLiteral(String)
    }

    /// The parts, in order.
    package var parts: [Part]

    /// Creates a value from parts.
    package init(parts: [Part]) { self.parts = parts }

    /// A value with no secret in it.
    package init(plain: String) { parts = [.text(plain)] }

    /// What is actually sent or set.
    package var resolved: String {
        parts.map { part in
            switch part {
            case let .text(text): text
            case let .secretReference(_, value): value
            case let .secretLiteral(value): value
            }
        }.joined()
    }

    /// What may be shown, logged and stored: each secret replaced by `***`.
    package var redacted: String {
        parts.map { part in
            if case let .text(text) = part { return text }
            return Redactor.mask
        }.joined()
    }

    /// What the approval hash covers: references by name (so rotating a token keeps approvals valid),
    /// literal secrets by their SHA-256 (so changing one invalidates them without storing it).
    var canonical: String {
        parts.map { part in
            switch part {
            case let .text(text): "t:" + text
            case let .secretReference(name, _): "r:${" + name + "}"
            case let .secretLiteral(value): "l:" + SHA256.hex(Array(value.utf8))
            }
        }.joined(separator: "\u{1F}")
    }

    /// The secret values in this text.
    package var secrets: [String] {
        parts.compactMap { part in
            switch part {
            case .text: nil
            case let .secretReference(_, value): value
            case let .secretLiteral(value): value
            }
        }
    }

    /// Whether any part is secret.
    package var containsSecret: Bool { !secrets.isEmpty }
}
