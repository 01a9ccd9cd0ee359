/// One HTTP header as configured (an action's request, the Prometheus source, Alertmanager): a name and
/// a value template whose `${NAME}` references are secrets, resolved from the environment when sent.
package struct HeaderTemplate: Sendable, Equatable {
    /// The header name.
    package var name: String
    /// The value, with `${NAME}` references.
    package var value: String

    /// Creates a header template.
    package init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
