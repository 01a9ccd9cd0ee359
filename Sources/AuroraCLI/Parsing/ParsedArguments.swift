import AuroraCore
import Foundation

/// The result of parsing argv against the command table: which command, its options and positionals.
/// Defaults and environment variables are already applied; values are validated for their kind.
package struct ParsedArguments: Sendable {
    /// Subcommand names below `aurora`: `["db", "status"]`.
    package var commandPath: [String] = []
    /// Option values by long name, in the order given.
    package var values: [String: [String]] = [:]
    /// Flags given, by long name.
    package var flags: Set<String> = []
    package var positionals: [String] = []
    /// Where each value came from, for messages: `--since`, `$AURORA_DB`, or `default`.
    package var origins: [String: String] = [:]

    package init() {}

    package func flag(_ name: String) -> Bool { flags.contains(name) }

    /// The last value of an option (later occurrences override earlier ones), or nil.
    package func value(_ name: String) -> String? { values[name]?.last }

    /// Every value of a repeatable option; comma-separated values are split.
    package func list(_ name: String) -> [String] {
        (values[name] ?? []).flatMap { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
            .filter { !$0.isEmpty }
    }

    /// Every value as given, without comma splitting (`--param k=v`).
    package func all(_ name: String) -> [String] { values[name] ?? [] }

    package func int(_ name: String) -> Int? { value(name).flatMap { Int($0) } }
    package func double(_ name: String) -> Double? { value(name).flatMap { Double($0) } }
    /// Seconds.
    package func duration(_ name: String) -> Double? { value(name).flatMap { DurationText.seconds($0) } }

    /// A time option, relative to `now` where it is written relatively.
    package func time(_ name: String, now: Date) throws -> Date? {
        guard let text = value(name) else { return nil }
        guard let date = TimeArgument.parse(text, now: now) else {
            throw UsageError("--\(name): `\(text)` is not a time (expected RFC 3339, YYYY-MM-DD[ HH:MM[:SS]], Unix seconds, now, or 6h / -1h / 30m ago)")
        }
        return date
    }
}

/// Times written on the command line.
package enum TimeArgument {
    /// Parses `2026-11-29T10:00:00Z`, `2026-11-29 10:00`, `2026-11-29`, `1764400000`, `now`, `-1h`, `1h ago`.
    /// Times without a zone are UTC, like aurora's output.
    package static func parse(_ text: String, now: Date) -> Date? {
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
        // One calendar for reading and printing: proleptic Gregorian (Foundation's formatters turn
        // Julian before 1582).
        if let milliseconds = CivilTime.parse(trimmed) { return Date(unixMilliseconds: milliseconds) }
        return nil
    }
}
