/// Text from metric files (series names, label values, services) made safe to print on a terminal.
///
/// A label value is data anyone who writes a metric controls. Printed raw, `\e]0;…\a` retitles the
/// window, `\e[2J` clears it, `\e[1A` rewrites lines above: output that lies to the operator reading it
/// during an incident. Control characters are shown escaped (`\e`, `\x07`, `\n`), as `kubectl` and `git`
/// do; the one sequence kept is the colour switch `ESC [ digits;… m` that aurora's own styling writes
/// (a cell may hold a coloured sparkline), which can change colours but cannot move the cursor, clear
/// the screen or reach the terminal's title or clipboard.
package enum TerminalText {
    package static func safe(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\u{1B}", let end = colourSequenceEnd(scalars, from: index) {
                out.append(contentsOf: scalars[index...end])
                index = end + 1
                continue
            }
            if isControl(scalar) {
                out.append(contentsOf: escaped(scalar).unicodeScalars)
            } else {
                out.append(scalar)
            }
            index += 1
        }
        return String(out)
    }

    /// C0 controls, DEL and C1 controls (U+0080–U+009F: 8-bit CSI and OSC on some terminals).
    package static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// The index of the `m` ending an SGR sequence that starts at `start`, or nil.
    private static func colourSequenceEnd(_ scalars: [Unicode.Scalar], from start: Int) -> Int? {
        guard start + 2 < scalars.count, scalars[start + 1] == "[" else { return nil }
        var index = start + 2
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "m" { return index }
            guard ("0"..."9").contains(scalar) || scalar == ";" else { return nil }
            index += 1
        }
        return nil
    }

    private static func escaped(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\u{1B}": return "\\e"
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        default:
            let hex = String(scalar.value, radix: 16)
            return "\\x" + String(repeating: "0", count: max(0, 2 - hex.count)) + hex
        }
    }
}
