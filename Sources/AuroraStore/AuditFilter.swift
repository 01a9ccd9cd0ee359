import Foundation

/// Which audit entries to read: every part given must hold.
package struct AuditFilter: Sendable, Equatable {
    /// At or after this time.
    package var since: Date?
    /// Before this time.
    package var until: Date?
    /// About this subject (`service:checkout`) or anything below it (`service:checkout:…`).
    package var subject: String?
    /// By this actor exactly.
    package var actor: String?
    /// This action (`remediation.approve`) or a family of them (`remediation` for `remediation.…`).
    package var action: String?
    /// Only the oldest N (in time order).
    package var first: Int?
    /// Only the newest N (still printed in time order), as `tail -n` does; wins over `first`.
    package var last: Int?

    package init(since: Date? = nil, until: Date? = nil, subject: String? = nil, actor: String? = nil,
                 action: String? = nil, first: Int? = nil, last: Int? = nil) {
        self.since = since
        self.until = until
        self.subject = subject
        self.actor = actor
        self.action = action
        self.first = first
        self.last = last
    }
}
