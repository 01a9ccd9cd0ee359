import AuroraLive
import Foundation

/// Webhook alerts received and not yet applied. The listener adds and answers at once; the loop
/// takes them at the start of its next pass (woken early), so that only the loop writes the database.
/// Repeats of an alert already queued (a storm of re-sends) are dropped here; the store's own
/// idempotency covers re-sends after they were applied, across restarts too.
package final class WebhookInbox: @unchecked Sendable {
    // Unchecked: `queued` and `keys` are only touched under `lock`.
    private let lock = NSLock()
    private var queued: [WebhookAlert] = []
    private var keys = Set<String>()
    private let wakeup: Wakeup

    package init(wakeup: Wakeup) { self.wakeup = wakeup }

    /// Adds alerts; returns how many were new to the queue.
    @discardableResult
    package func add(_ alerts: [WebhookAlert]) -> Int {
        let added: Int = lock.withLock {
            var count = 0
            for alert in alerts {
                let key = "\(alert.fingerprint)|\(alert.startsAt)|\(alert.status)"
                if keys.insert(key).inserted {
                    queued.append(alert)
                    count += 1
                }
            }
            return count
        }
        if added > 0 { wakeup.signal() }
        return added
    }

    /// Takes every queued alert.
    package func take() -> [WebhookAlert] {
        lock.withLock {
            let taken = queued
            queued = []
            keys = []
            return taken
        }
    }
}
