import Dispatch
import Foundation

/// Stops a process group at its deadline from a Dispatch timer on a queue of its own.
///
/// The supervising task's own timer runs on Swift's cooperative thread pool, which has one thread
/// per core: when other work in the process blocks those threads (a long SQLite wait, a busy
/// diagnosis, or, in the test suite, many blocking tests), the timer's wake-up waits with them and an
/// action could overrun its timeout by as long. A Dispatch source on its own serial queue is served
/// by a thread outside that pool, so the SIGTERM (and SIGKILL after the grace period) go out on time
/// whatever the pool is doing. The supervising task still reports the outcome.
final class ProcessGroupWatchdog: @unchecked Sendable {
    private let queue = DispatchQueue(label: "aurora.process-group-watchdog")
    private var timer: (any DispatchSourceTimer)?
    /// Written and read on `queue` only.
    private var hasFired = false

    /// Arms the timer: at `timeout` seconds, SIGTERM (and SIGCONT) to group `pgid`; `grace` seconds
    /// later, SIGKILL if any member is still alive.
    init(pgid: Int32, timeout: Double, grace: Double) {
        let source = DispatchSource.makeTimerSource(queue: queue)
        source.schedule(deadline: .now() + timeout)
        source.setEventHandler { [weak self] in
            guard let self, !self.hasFired else { return }
            self.hasFired = true
            ProcessGroup.signal(pgid, SIGTERM)
            ProcessGroup.signal(pgid, SIGCONT)
            self.queue.asyncAfter(deadline: .now() + grace) {
                if ProcessGroup.hasLiveMembers(pgid) { ProcessGroup.signal(pgid, SIGKILL) }
            }
        }
        timer = source
        source.resume()
    }

    /// Whether the deadline passed and the group was signalled.
    var fired: Bool { queue.sync { hasFired } }

    /// Stops the timer (the process ended in time, or the supervisor took over).
    func disarm() {
        queue.sync {
            timer?.cancel()
            timer = nil
        }
    }

    deinit { timer?.cancel() }
}
