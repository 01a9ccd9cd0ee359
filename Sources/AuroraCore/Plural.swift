/// Counts in words for messages: "1 event", "3 events" — never "event(s)", which reads badly aloud.
package enum Plural {
    /// `count(1, "event")` is "1 event", `count(2, "event")` "2 events"; irregular plurals are given.
    package static func count(_ number: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(number) " + (number == 1 ? singular : plural ?? singular + "s")
    }
}
