import AuroraCore
import CReadline
import Foundation

/// GNU readline for interactive prompts: line editing, history, tab-completion of given words.
enum LineEditor {
    /// Reads a line with `prompt`; nil at end of input (Ctrl-D).
    static func readLine(prompt: String, completions: [String]) -> String? {
        aurora_rl_clear_candidates()
        for word in completions { aurora_rl_add_candidate(word) }
        aurora_rl_install_completion()
        guard let raw = aurora_rl_readline(prompt) else { return nil }
        defer { free(raw) }
        let line = String(cString: raw)
        if !line.trimmingCharacters(in: .whitespaces).isEmpty { aurora_rl_add_history(raw) }
        return line
    }
}
