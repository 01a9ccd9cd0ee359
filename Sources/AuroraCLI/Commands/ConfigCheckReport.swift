import AuroraConfig
import AuroraCore

/// What `aurora config check` found in one file, and how it is printed: like a linter, every problem the
/// loader finds in one run — each error and each warning, located — in text and in `--json`.
///
/// Text: the problems on stderr in file order, errors as `aurora: FILE:LINE:COLUMN: message` (the form
/// every command prints them in) and warnings as `FILE:LINE:COLUMN: warning: message`; then `FILE: ok`
/// on stdout, or a count of the problems on stderr.
///
/// JSON (a contract: fields are only ever added): one object per file on its own line,
/// `{"valid", "file", "issues": [...], "warnings": [...]}` (and `"online": [...]` with `--online`), each
/// problem `{"file", "line", "column", "message", "kind", "key"}`. `issues` holds the errors (the name
/// predates the warnings); `kind` is a `ConfigIssueKind` raw value; `key` the dotted key, or null.
struct ConfigCheckReport {
    let file: String
    /// The loaded configuration, nil when the file has errors.
    let configuration: Configuration?
    let errors: [ConfigIssue]
    let warnings: [ConfigIssue]
    /// With `--online`, what the servers answered (only for a file without errors).
    var online: OnlineCheck.Outcome?

    /// Loads `file`, keeping every error and warning instead of stopping at the failure.
    static func load(_ file: String) throws -> ConfigCheckReport {
        do {
            let configuration = try ConfigLoader.load(path: file)
            return ConfigCheckReport(file: file, configuration: configuration, errors: [], warnings: configuration.warnings)
        } catch let error as ConfigError {
            return ConfigCheckReport(file: file, configuration: nil, errors: error.issues, warnings: error.warnings)
        }
    }

    /// The exit status this file calls for: 78 for errors (or, with `strict`, warnings), the online
    /// check's failure, else success.
    func status(strict: Bool) -> ExitStatus {
        if fails(strict: strict) { return .configuration }
        if let worst = online?.worst { return ExitStatus(worst) }
        return .success
    }

    /// Whether the file itself fails the check (the online check aside).
    func fails(strict: Bool) -> Bool { !errors.isEmpty || (strict && !warnings.isEmpty) }

    /// Prints the report: problems on stderr, the verdict on stdout (text) or the JSON object.
    func print(to context: CommandContext, strict: Bool) {
        printProblems(to: context, strict: strict)
        if context.json {
            context.console.out.line(json.rendered())
            return
        }
        if fails(strict: strict) {
            context.console.err.line("\(Style(enabled: context.console.colorErr).red("aurora:")) \(file): \(counts(strict: strict))")
            return
        }
        context.console.out.line(warnings.isEmpty ? "\(file): ok" : "\(file): ok (\(Self.count(warnings.count, "warning")))")
        guard let online else { return }
        if online.lines.isEmpty { context.console.out.line("nothing to check online (no sources.prometheus, no alertmanager)") }
        for line in online.lines {
            let mark = line.ok ? context.style.green("ok") : context.style.red("FAILED")
            context.console.out.line("\(mark)  \(line.subject): \(line.detail)")
        }
    }

    /// Errors and warnings interleaved in file order (an error first where both share a place). Warnings
    /// are notes, silenced by `--quiet`, except under `--strict`, where they are what fails the check.
    private func printProblems(to context: CommandContext, strict: Bool) {
        let prefix = Style(enabled: context.console.colorErr).red("aurora:")
        let problems = errors.map { ($0, true) } + warnings.map { ($0, false) }
        let ordered = problems.enumerated().sorted { lhs, rhs in
            let (a, b) = (lhs.element.0.location, rhs.element.0.location)
            return (a.line, a.column, lhs.offset) < (b.line, b.column, rhs.offset)
        }
        for (issue, isError) in ordered.map(\.element) {
            if isError {
                context.console.err.line("\(prefix) \(issue)")
            } else if strict {
                context.console.err.line("\(issue.location): warning: \(issue.message)")
            } else {
                context.note("\(issue.location): warning: \(issue.message)")
            }
        }
    }

    /// `2 errors, 1 warning`; under `--strict` with only warnings, says why they fail.
    private func counts(strict: Bool) -> String {
        var parts: [String] = []
        if !errors.isEmpty { parts.append(Self.count(errors.count, "error")) }
        if !warnings.isEmpty { parts.append(Self.count(warnings.count, "warning")) }
        let text = parts.joined(separator: ", ")
        return errors.isEmpty && strict ? "\(text) (--strict fails on warnings)" : text
    }

    private static func count(_ number: Int, _ noun: String) -> String { "\(number) \(noun)\(number == 1 ? "" : "s")" }

    var json: JSONValue {
        var fields: [(String, JSONValue)] = [
            ("valid", .bool(errors.isEmpty && online?.worst == nil)), ("file", .string(file)),
            ("issues", .array(errors.map(Self.json))), ("warnings", .array(warnings.map(Self.json))),
        ]
        if let online {
            fields.append(("online", .array(online.lines.map {
                .object([("subject", .string($0.subject)), ("ok", .bool($0.ok)), ("detail", .string($0.detail))])
            })))
        }
        return .object(fields)
    }

    /// The JSON of a configuration with no file: the built-in defaults, valid.
    static let defaultsJSON = JSONValue.object([("valid", .bool(true)), ("file", .null), ("issues", .array([])), ("warnings", .array([]))])

    private static func json(_ issue: ConfigIssue) -> JSONValue {
        .object([
            ("file", .string(issue.location.file)), ("line", .integer(Int64(issue.location.line))),
            ("column", .integer(Int64(issue.location.column))), ("message", .string(issue.message)),
            ("kind", .string(issue.kind.rawValue)), ("key", issue.key.map(JSONValue.string) ?? .null),
        ])
    }
}
