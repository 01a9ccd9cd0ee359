import Foundation

/// Lets the loop sleep between passes and be woken early: by a webhook (work arrived), a reload or a
/// stop. A signal sent while nobody waits is kept for the next wait, so none is lost.
package final class Wakeup: @unchecked Sendable {
    // Unchecked: `pending`, `waiter` and `generation` are only touched under `lock`; the continuation
    // is resumed exactly once, by whoever takes it out of `waiter` under the lock.
    private let lock = NSLock()
    private var pending = false
    private var waiter: CheckedContinuation<Void, Never>?
    private var generation = 0

    package init() {}

    /// Wakes the current wait, or the next one.
    package func signal() {
        let waiting: CheckedContinuation<Void, Never>? = lock.withLock {
            if let waiter {
                self.waiter = nil
                return waiter
            }
            pending = true
            return nil
        }
        waiting?.resume()
    }

    /// Waits `seconds`, or less when signalled.
    package func wait(seconds: Double) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let (ready, mine): (Bool, Int) = lock.withLock {
                if pending {
                    pending = false
                    return (true, generation)
                }
                generation += 1
                waiter = continuation
                return (false, generation)
            }
            if ready {
                continuation.resume()
                return
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + max(0, seconds)) { [self] in
                let expired: CheckedContinuation<Void, Never>? = lock.withLock {
                    guard generation == mine, let waiter else { return nil }
                    self.waiter = nil
                    return waiter
                }
                expired?.resume()
            }
        }
    }
}
