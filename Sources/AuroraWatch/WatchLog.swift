import AuroraCore
import AuroraRemediation
import Foundation

/// The watcher's log: one line per thing that happened, on standard error, human-readable by
/// default or one JSON object per line (`--log-format json`) for log pipelines. Secrets are redacted.
package final class WatchLog: @unchecked Sendable {
    // Unchecked: writes are serialised by `lock`.
    package enum Format: String, Sendable { case human, json }

    private let lock = NSLock()
    private let format: Format
    private let write: @Sendable (String) -> Void
    private let clock: any WallClock
    private var redactor: Redactor

    /// A log in `format`; `write` receives each line with its newline (standard error by default).
    package init(format: Format, clock: any WallClock = SystemWallClock(), redactor: Redactor = Redactor(secrets: []),
                write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) {
        self.format = format
        self.clock = clock
        self.redactor = redactor
        self.write = write
    }

    /// Replaces the redactor (after a reload brought new secrets).
    package func redacting(_ redactor: Redactor) { lock.withLock { self.redactor = redactor } }

    /// Logs one event: a short name, a sentence, and fields for the JSON form.
    package func event(_ name: String, _ message: String, level: String = "info", _ fields: [(String, JSONValue)] = []) {
        let now = clock.now()
        lock.withLock {
            let line: String
            switch format {
            case .human:
                let time = now.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: false, timeZone: .gmt))
                // Messages carry series names and label values: one event stays one line that
                // cannot drive a terminal (the JSON form escapes them as JSON).
                line = "\(time) \(level == "info" ? "" : level + " ")\(name): \(TerminalText.safe(message))"
            case .json:
                line = JSONValue.object([("ts", .string(now.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)))),
                                         ("level", .string(level)), ("event", .string(name)), ("msg", .string(message))] + fields).rendered()
            }
            write(redactor.redact(line) + "\n")
        }
    }
}
