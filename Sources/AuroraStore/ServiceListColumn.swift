/// An incident's services in one text column: names joined by commas, a comma or backslash inside a
/// name escaped with a backslash (`a\,b`). A list whose names hold neither is written exactly as
/// before (`checkout,postgres`), so older databases read back unchanged; a backslash before any other
/// character reads as itself, so an older row holding one keeps it.
package enum ServiceListColumn {
    package static func encode(_ services: [String]) -> String {
        services.map { name in
            guard name.contains(",") || name.contains("\\") else { return name }
            return name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ",", with: "\\,")
        }.joined(separator: ",")
    }

    package static func decode(_ text: String) -> [String] {
        guard !text.isEmpty else { return [] }
        var names: [String] = []
        var current = ""
        var characters = text.makeIterator()
        while let character = characters.next() {
            switch character {
            case "\\":
                guard let next = characters.next() else { current.append("\\"); break }
                if next == "," || next == "\\" { current.append(next) } else { current.append("\\"); current.append(next) }
            case ",":
                names.append(current)
                current = ""
            default:
                current.append(character)
            }
        }
        names.append(current)
        return names
    }
}
