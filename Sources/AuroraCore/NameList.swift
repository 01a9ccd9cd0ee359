/// Names in a sentence, however many there are: a line that lists a hundred services is read by no one.
package enum NameList {
    /// `api`, `api and db`, `api, db and web`, `api, db, web and 4 more` (the first `shown`, then how many more).
    package static func text(_ names: [String], shown: Int = 3) -> String {
        let listed = names.prefix(max(shown, 1))
        let rest = names.count - listed.count
        if rest > 0 { return listed.joined(separator: ", ") + " and \(rest) more" }
        guard listed.count > 1, let last = listed.last else { return listed.first ?? "" }
        return listed.dropLast().joined(separator: ", ") + " and " + last
    }
}
