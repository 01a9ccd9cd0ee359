import AuroraCore

/// Parses argv against the command table. Hand-rolled, POSIX/GNU conventions:
/// `--opt value`, `--opt=value`, `-o value`, `-ovalue`, combined short flags (`-qe`), `--` ends
/// options, `-` is a positional (stdin). No prefix abbreviations; typos get a suggestion.
package struct CommandLineParser: Sendable {
    package let root: CommandSpec
    package let globalOptions: [OptionSpec]

    package init(root: CommandSpec, globalOptions: [OptionSpec]) {
        self.root = root
        self.globalOptions = globalOptions
    }

    /// The outcome of parsing: the command reached and its arguments, or a usage error together with
    /// the command it happened in (so `--help` can still show that command's help).
    package struct Outcome: Sendable {
        package var command: CommandSpec
        package var arguments: ParsedArguments
        package var error: UsageError?
    }

    package func parse(_ argv: [String], environment: [String: String]) -> Outcome {
        var command = root
        var parsed = ParsedArguments()
        var index = 0
        var onlyPositionals = false

        func fail(_ message: String) -> Outcome {
            Outcome(command: command, arguments: parsed, error: UsageError(message))
        }
        func commandName() -> String { (["aurora"] + parsed.commandPath).joined(separator: " ") }

        while index < argv.count {
            let argument = argv[index]
            index += 1
            if onlyPositionals || argument == "-" || !argument.hasPrefix("-") || argument.count == 1 {
                if parsed.positionals.isEmpty && !command.subcommands.isEmpty && !onlyPositionals {
                    if let next = command.subcommand(argument) {
                        command = next
                        parsed.commandPath.append(argument)
                        continue
                    }
                    if command.handler == nil || command.arguments.isEmpty {
                        let kind = parsed.commandPath.isEmpty ? "command" : "subcommand"
                        var message = "unknown \(kind) '\(argument)' for '\(commandName())'"
                        if let near = Suggestions.phrase(argument, in: command.subcommands.map(\.name)) {
                            message += " (did you mean \(near)?)"
                        }
                        return fail(message + "; see '\(commandName()) --help'")
                    }
                }
                parsed.positionals.append(argument)
                continue
            }
            if argument == "--" {
                onlyPositionals = true
                continue
            }
            let available = command.options + globalOptions
            if argument.hasPrefix("--") {
                let body = argument.dropFirst(2)
                let name: String
                var inline: String?
                if let equals = body.firstIndex(of: "=") {
                    name = String(body[..<equals])
                    inline = String(body[body.index(after: equals)...])
                } else {
                    name = String(body)
                }
                guard let option = available.first(where: { $0.long == name }) else {
                    var message = "unknown option '--\(name)' for '\(commandName())'"
                    if let near = Suggestions.phrase(name, in: available.map(\.long), prefix: "--") {
                        message += " (did you mean \(near)?)"
                    } else if let hint = elsewhereHint(name, command: command) {
                        message += " (\(hint))"
                    }
                    return fail(message)
                }
                if option.isFlag {
                    if inline != nil { return fail("option '--\(name)' takes no value") }
                    parsed.flags.insert(option.long)
                    continue
                }
                let value: String
                if let inline {
                    value = inline
                } else if index < argv.count {
                    value = argv[index]
                    index += 1
                } else {
                    return fail("option '--\(name)' needs a value (\(option.valueName ?? "VALUE"))")
                }
                if let problem = validate(value, for: option) { return fail(problem) }
                record(value, for: option, origin: "--\(name)", into: &parsed)
                continue
            }
            // A cluster of short options: `-qe`, `-o value`, `-ovalue`.
            let letters = Array(argument.dropFirst())
            var position = 0
            while position < letters.count {
                let letter = letters[position]
                position += 1
                guard let option = available.first(where: { $0.short == letter }) else {
                    return fail("unknown option '-\(letter)' for '\(commandName())'")
                }
                if option.isFlag {
                    parsed.flags.insert(option.long)
                    continue
                }
                let value: String
                if position < letters.count {
                    value = String(letters[position...])
                } else if index < argv.count {
                    value = argv[index]
                    index += 1
                } else {
                    return fail("option '-\(letter)' needs a value (\(option.valueName ?? "VALUE"))")
                }
                if let problem = validate(value, for: option) { return fail(problem) }
                record(value, for: option, origin: "-\(letter)", into: &parsed)
                break
            }
        }

        // Environment variables, then defaults, for options not given.
        for option in command.options + globalOptions where !option.isFlag && parsed.values[option.long] == nil {
            if let variable = option.environment, let value = environment[variable], !value.isEmpty {
                if let problem = validate(value, for: option) { return fail("$\(variable): \(problem)") }
                record(value, for: option, origin: "$\(variable)", into: &parsed)
            } else if let value = option.defaultValue {
                record(value, for: option, origin: "default", into: &parsed)
            }
        }
        for option in command.options + globalOptions where option.isFlag && !parsed.flags.contains(option.long) {
            if let variable = option.environment, let value = environment[variable], !value.isEmpty, value != "0" {
                parsed.flags.insert(option.long)
            }
        }
        return Outcome(command: command, arguments: parsed, error: nil)
    }

    /// Checks positional counts once help has been ruled out.
    package func checkPositionals(_ parsed: ParsedArguments, for command: CommandSpec) -> UsageError? {
        let name = (["aurora"] + parsed.commandPath).joined(separator: " ")
        let required = command.arguments.filter { !$0.optional }
        if parsed.positionals.count < required.count {
            let missing = required[parsed.positionals.count]
            return UsageError("'\(name)' needs \(missing.name) (\(missing.summary)); see '\(name) --help'")
        }
        if !command.arguments.contains(where: \.variadic) && parsed.positionals.count > command.arguments.count {
            let extra = parsed.positionals[command.arguments.count]
            return UsageError("unexpected argument '\(extra)' for '\(name)'; see '\(name) --help'")
        }
        for (offset, spec) in command.arguments.enumerated() where offset < parsed.positionals.count {
            let values = spec.variadic ? Array(parsed.positionals[offset...]) : [parsed.positionals[offset]]
            for value in values {
                if let problem = Self.validate(value, kind: spec.kind, label: spec.name) { return UsageError(problem) }
            }
        }
        return nil
    }

    /// For an option this command lacks but another has (`aurora detect --sevrice`): where it belongs,
    /// and for a service on a command that selects series, how to say it here.
    private func elsewhereHint(_ name: String, command: CommandSpec) -> String? {
        var owners: [String: [String]] = [:]
        var order: [String] = []
        func visit(_ spec: CommandSpec, _ path: [String]) {
            for option in spec.options where spec.handler != nil {
                if owners[option.long] == nil { order.append(option.long) }
                owners[option.long, default: []].append((["aurora"] + path).joined(separator: " "))
            }
            for sub in spec.subcommands { visit(sub, path + [sub.name]) }
        }
        visit(root, [])
        guard let near = Suggestions.nearest(name, in: order) else { return nil }
        if ["service", "metric", "instance"].contains(near) && command.options.contains(where: { $0.long == "match" }) {
            return "did you mean --match '{\(near)=\"NAME\"}'? this command selects series with --match"
        }
        let where_ = owners[near, default: []].prefix(3).map { "'\($0)'" }.joined(separator: ", ")
        return "'--\(near)' is an option of \(where_), not of this command"
    }

    private func record(_ value: String, for option: OptionSpec, origin: String, into parsed: inout ParsedArguments) {
        if option.repeatable {
            parsed.values[option.long, default: []].append(value)
        } else {
            parsed.values[option.long] = [value]
        }
        parsed.origins[option.long] = origin
    }

    private func validate(_ value: String, for option: OptionSpec) -> String? {
        Self.validate(value, kind: option.kind, label: "--\(option.long)")
    }

    static func validate(_ value: String, kind: ValueKind, label: String) -> String? {
        switch kind {
        case .integer:
            return Int(value) == nil ? "\(label): `\(value)` is not an integer" : nil
        case .number:
            return Double(value).map { $0.isFinite } == true ? nil : "\(label): `\(value)` is not a number"
        case .duration:
            return DurationText.seconds(value) == nil ? "\(label): `\(value)` is not a duration (e.g. 300s, 5m, 1h30m)" : nil
        case .choice(let words):
            if option(value, isAmong: words) { return nil }
            var message = "\(label): `\(value)` is not one of \(words.joined(separator: ", "))"
            if let near = Suggestions.phrase(value, in: words) { message += " (did you mean \(near)?)" }
            return message
        case .string, .file, .directory, .time:
            if value.utf8.contains(0) { return "\(label): contains a NUL byte" }
            return nil
        }
    }

    private static func option(_ value: String, isAmong words: [String]) -> Bool {
        // Choices may be comma-separated lists (`--detector zscore,mad`).
        value.split(separator: ",").allSatisfy { words.contains(String($0)) }
    }
}

/// "Did you mean" hints: the nearest name within edit distance 2 (git and cobra use the same bound).
package enum Suggestions {
    package static func nearest(_ word: String, in candidates: [String]) -> String? {
        nearestAll(word, in: candidates).first
    }

    /// Every candidate at the smallest distance, in the candidates' order: `of` is as near to `on` as
    /// to `off`, and suggesting only one of them would hide the other.
    package static func nearestAll(_ word: String, in candidates: [String]) -> [String] {
        EditDistance.nearest(to: word, in: candidates)
    }

    /// `'on' or 'off'`, `'--service'`: the nearest names quoted for a message, or nil when none is near.
    package static func phrase(_ word: String, in candidates: [String], prefix: String = "") -> String? {
        let names = nearestAll(word, in: candidates).map { "'\(prefix)\($0)'" }
        guard let last = names.last else { return nil }
        return names.count == 1 ? last : names.dropLast().joined(separator: ", ") + " or " + last
    }
}
