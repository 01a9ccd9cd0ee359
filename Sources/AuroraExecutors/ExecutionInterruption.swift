import Dispatch
import Foundation
import Synchronization

/// The stop request of a remediation in progress (aurora got SIGINT, SIGTERM or SIGHUP), and the
/// process groups it must stop.
///
/// Every executor process (action, probe, rollback, the `aurora-http` helper) runs in a session of
/// its own, so a signal sent to aurora never reaches it by itself: without this, a Ctrl-C left the
/// action running past its timeout with no health check or rollback, uncounted by the concurrency
/// limit. Each child registers its group as soon as it exists; `interrupt(by:)` stops every
/// registered group (SIGTERM, then SIGKILL after the kill grace) from a Dispatch queue of its own —
/// outside Swift's cooperative pool, so it is never delayed by blocked tasks — and a group that
/// registers afterwards is stopped at once. The executor checks `reason` between steps and starts
/// nothing more.
package final class ExecutionInterruption: Sendable {
    private struct State {
        var signal: Int32?
        var groups: Set<Int32> = []
    }

    private let state = Mutex(State())
    private let killGrace: Double
    private let queue = DispatchQueue(label: "aurora.execution-interruption")

    /// `killGrace`: seconds between SIGTERM and SIGKILL for each group.
    package init(killGrace: Double) {
        self.killGrace = killGrace.isFinite ? min(max(0, killGrace), 3600) : 5
    }

    /// The signal that interrupted the work, if any.
    package var signal: Int32? { state.withLock { $0.signal } }

    /// Why the work stopped ("interrupted by SIGTERM"), or nil while it may go on.
    package var reason: String? { signal.map { "interrupted by \(Self.name(of: $0))" } }

    /// Records a running child's group. When the work was already interrupted, the group is stopped at once.
    package func register(_ pgid: Int32) {
        let interrupted = state.withLock { state -> Bool in
            state.groups.insert(pgid)
            return state.signal != nil
        }
        if interrupted { stop(pgid) }
    }

    /// Forgets a group whose leader was reaped (its pgid may be reused by an unrelated process).
    package func unregister(_ pgid: Int32) {
        _ = state.withLock { $0.groups.remove(pgid) }
    }

    /// Records the signal (the first one wins) and stops every registered group.
    package func interrupt(by signal: Int32) {
        let groups = state.withLock { state -> Set<Int32> in
            if state.signal == nil { state.signal = signal }
            return state.groups
        }
        for pgid in groups { stop(pgid) }
    }

    /// SIGTERM (and SIGCONT, for a stopped group), then SIGKILL after the grace if a member is alive.
    private func stop(_ pgid: Int32) {
        let grace = killGrace
        queue.async {
            ProcessGroup.signal(pgid, SIGTERM)
            ProcessGroup.signal(pgid, SIGCONT)
            self.queue.asyncAfter(deadline: .now() + grace) {
                if ProcessGroup.hasLiveMembers(pgid) { ProcessGroup.signal(pgid, SIGKILL) }
            }
        }
    }

    /// `SIGINT`, `SIGTERM`, `SIGHUP`, else `signal N`.
    package static func name(of signal: Int32) -> String {
        switch signal {
        case SIGINT: "SIGINT"
        case SIGTERM: "SIGTERM"
        case SIGHUP: "SIGHUP"
        case SIGQUIT: "SIGQUIT"
        default: "signal \(signal)"
        }
    }
}
