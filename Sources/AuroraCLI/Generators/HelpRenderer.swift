import AuroraCore
/// `aurora --help`, `aurora help CMD` and `aurora CMD --help`, from the command table.
package enum HelpRenderer {
    package static func help(for command: CommandSpec, path: [String], style: Style = Style(enabled: false)) -> String {
        let name = (["aurora"] + path).joined(separator: " ")
        var out = "\(style.bold(name)) — \(command.summary)\n\n"
        out += "\(style.bold("Usage:")) \(usage(for: command, name: name))\n"
        if !command.discussion.isEmpty {
            out += "\n" + wrap(command.discussion, width: 78, indent: "") + "\n"
        }
        if !command.subcommands.isEmpty {
            out += "\n\(style.bold("Commands:"))\n"
            let width = min(24, (command.subcommands.map(\.name.count).max() ?? 0) + 2)
            for sub in command.subcommands {
                out += "  \(sub.name.padding(toLength: max(width, sub.name.count + 1), withPad: " ", startingAt: 0))\(sub.summary)\n"
            }
        }
        if !command.arguments.isEmpty {
            out += "\n\(style.bold("Arguments:"))\n"
            for argument in command.arguments {
                out += row(argumentLabel(argument), argument.summary)
            }
        }
        if !command.options.isEmpty {
            out += "\n\(style.bold("Options:"))\n"
            for option in command.options { out += row(optionLabel(option), optionSummary(option)) }
        }
        out += "\n\(style.bold("Global options:"))\n"
        for option in CommandTable.globalOptions { out += row(optionLabel(option), optionSummary(option)) }
        if !command.examples.isEmpty {
            out += "\n\(style.bold("Examples:"))\n"
            for example in command.examples { out += "  \(example)\n" }
        }
        if path.isEmpty {
            out += "\nRun 'aurora help COMMAND' for a command's options. Exit statuses: see 'man aurora'.\n"
        }
        return out
    }

    static func usage(for command: CommandSpec, name: String) -> String {
        var parts = [name]
        if !command.subcommands.isEmpty && command.handler == nil {
            parts.append("COMMAND")
        }
        parts.append("[options]")
        for argument in command.arguments { parts.append(argumentLabel(argument)) }
        return parts.joined(separator: " ")
    }

    static func argumentLabel(_ argument: ArgumentSpec) -> String {
        var label = argument.name + (argument.variadic ? "…" : "")
        if argument.optional { label = "[\(label)]" }
        return label
    }

    /// `-q, --quiet` or `--db PATH`.
    package static func optionLabel(_ option: OptionSpec) -> String {
        var label = option.short.map { "-\($0), " } ?? "    "
        label += "--\(option.long)"
        if let value = option.valueName { label += " \(value)" }
        return label
    }

    static func optionSummary(_ option: OptionSpec) -> String {
        var text = option.summary
        var notes: [String] = []
        if let value = option.defaultValue { notes.append("default: \(value)") }
        if let variable = option.environment { notes.append("env: \(variable)") }
        if option.repeatable { notes.append("repeatable") }
        if !notes.isEmpty { text += " [" + notes.joined(separator: "; ") + "]" }
        return text
    }

    private static func row(_ label: String, _ text: String) -> String {
        let column = 28
        if label.count + 2 >= column {
            return "  \(label)\n" + wrap(text, width: 78, indent: String(repeating: " ", count: column)) + "\n"
        }
        let first = "  " + label.padding(toLength: column - 2, withPad: " ", startingAt: 0)
        let wrapped = wrap(text, width: 78, indent: String(repeating: " ", count: column))
        return first + wrapped.dropFirst(column) + "\n"
    }

    /// Greedy word wrap; paragraphs (blank lines) are kept.
    static func wrap(_ text: String, width: Int, indent: String) -> String {
        text.components(separatedBy: "\n\n").map { paragraph -> String in
            var lines: [String] = []
            var current = indent
            for word in paragraph.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
                if current.count + word.count + 1 > width && current.count > indent.count {
                    lines.append(current)
                    current = indent
                }
                current += (current.count > indent.count ? " " : "") + word
            }
            lines.append(current)
            return lines.joined(separator: "\n")
        }.joined(separator: "\n\n")
    }
}
