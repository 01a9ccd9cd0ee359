import AuroraCore
import Foundation

/// The result of parsing argv against the command table: which command, its options and positionals.
/// Defaults and environment variables are already applied; values are validated for their kind.
public struct ParsedArguments: Sendable {
    /// Subcommand names below `aurora`: `["db", "status"]`.
    public var commandPath: [String] = []
    /// Option values by long name, in the order given.
    public var values: [String: [String]] = [:]
    /// Flags given, by long name.
    public var flags: Set<String> = []
    public var positionals: [String] = []
    /// Where each value came from, for messages: `--since`, `$AURORA_DB`, or `default`.
    public var origins: [String: String] = [:]

    public init() {}

    public func flag(_ name: String) -> Bool { flags.contains(name) }

    /// The last value of an option (later occurrences override earlier ones), or nil.
    public func value(_ name: String) -> String? { values[name]?.last }

    /// Every value of a repeatable option; comma-separated values are split.
    public func list(_ name: String) -> [String] {
        (values[name] ?? []).flatMap { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
            .filter { !$0.isEmpty }
    }

    /// Every value as given, without comma splitting (`--param k=v`).
    public func all(_ name: String) -> [String] { values[name] ?? [] }

    public func int(_ name: String) -> Int? { value(name).flatMap { Int($0) } }
    public func double(_ name: String) -> Double? { value(name).flatMap { Double($0) } }
    /// Seconds.
    public func duration(_ name: String) -> Double? { value(name).flatMap { DurationText.seconds($0) } }

    /// A time option, relative to `now` where it is written relatively.
    public func time(_ name: String, now: Date) throws -> Date? {
        guard let text = value(name) else { return nil }
        guard let date = TimeArgument.parse(text, now: now) else {
            throw UsageError("--\(name): `\(text)` is not a time (expected RFC 3339, YYYY-MM-DD[ HH:MM[:SS]], Unix seconds, now, or 6h / -1h / 30m ago)")
        }
        return date
    }
}

/// Times written on the command line.
public enum TimeArgument {
    /// Parses `2026-11-29T10:00:00Z`, `2026-11-29 10:00`, `2026-11-29`, `1764400000`, `now`, `-1h`, `1h ago`.
    /// Times without a zone are UTC, like aurora's output.
    public static func parse(_ text: String, now: Date) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed == "now" { return now }
        if trimmed.hasPrefix("-"), let seconds = DurationText.seconds(String(trimmed.dropFirst())) {
            return now.addingTimeInterval(-seconds)
        }
        if trimmed.hasPrefix("+"), let seconds = DurationText.seconds(String(trimmed.dropFirst())) {
            return now.addingTimeInterval(seconds)
        }
        if trimmed.hasSuffix(" ago"), let seconds = DurationText.seconds(String(trimmed.dropLast(4))) {
            return now.addingTimeInterval(-seconds)
        }
        if trimmed.allSatisfy(\.isNumber), let seconds = Double(trimmed) {
            return Date(timeIntervalSince1970: seconds)
        }
        // A bare duration (`6h`) is that long ago: `--since 6h` reads as it is meant.
        if trimmed.first?.isNumber == true, let seconds = DurationText.seconds(trimmed) {
            return now.addingTimeInterval(-seconds)
        }
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime]
        if let date = iso.date(from: trimmed) { return date }
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = iso.date(from: trimmed) { return date }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        for layout in ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd"] {
            formatter.dateFormat = layout
            if let date = formatter.date(from: trimmed) { return date }
        }
        return nil
    }
}
