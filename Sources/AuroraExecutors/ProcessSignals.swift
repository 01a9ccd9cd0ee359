import Dispatch
import Foundation
import Synchronization

/// The process's one trap for the stop and reload signals (SIGINT, SIGTERM, SIGHUP): installed once per
/// signal, for the life of the process; callers register a handler for as long as they need one
/// (a remediation while it executes, `aurora watch` while it runs) and unregister it afterwards.
///
/// Why one trap: on Linux, libdispatch installs a handler of its own the first time a signal source is
/// made for a signal, and never again. Setting the disposition afterwards (`SIG_IGN` for a second
/// source, or the default back when a source is removed) replaces that handler, and from then on the
/// kernel discards the signal before any source sees it: a second trap per remediation, or one in
/// `watch` beside the remediation's, silenced both. Here the disposition is set once, before the
/// first source is made, and the sources are never cancelled.
///
/// A signal that arrives while no handler is registered takes its default action (the process ends
/// by it), as it would have had aurora never trapped it: outside the work that needs the trap, dying
/// at once is right, because nothing is left behind that recovery cannot explain.
package final class ProcessSignals: Sendable {
    /// The process-wide trap.
    package static let shared = ProcessSignals()

    /// The signals an operator uses to stop a command: Ctrl-C, `kill`, a closed terminal.
    package static let stopSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    /// A registered handler; give it back to `unregister`.
    package struct Registration: Sendable, Hashable {
        fileprivate let id: UInt64
    }

    private struct Entry {
        var id: UInt64
        var signals: Set<Int32>
        var handler: @Sendable (Int32) -> Void
    }

    private struct State {
        var nextID: UInt64 = 1
        var entries: [Entry] = []
        var sources: [Int32: any DispatchSourceSignal] = [:]
    }

    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "aurora.process-signals")

    private init() {}

    /// Calls `handler` (on a Dispatch queue of the trap's own, never in a signal handler) for each of
    /// `signals` caught until `unregister`. Several handlers of one signal are called in the order they
    /// registered.
    package func register(_ signals: [Int32], handler: @escaping @Sendable (Int32) -> Void) -> Registration {
        state.withLock { state in
            for number in Set(signals) where state.sources[number] == nil {
                // Ignored first, so that the signal does not end the process before the source is armed
                // (libdispatch then puts its own handler in place on Linux; on Darwin it must stay ignored).
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                source.setEventHandler { [unowned self] in self.deliver(number) }
                source.resume()
                state.sources[number] = source
            }
            let id = state.nextID
            state.nextID += 1
            state.entries.append(Entry(id: id, signals: Set(signals), handler: handler))
            return Registration(id: id)
        }
    }

    /// Stops calling the handler. Unknown or already removed registrations are ignored.
    package func unregister(_ registration: Registration) {
        state.withLock { $0.entries.removeAll { $0.id == registration.id } }
    }

    /// Whether a handler is registered for `number` now.
    package func isHandled(_ number: Int32) -> Bool {
        state.withLock { $0.entries.contains { $0.signals.contains(number) } }
    }

    /// Runs on the trap's queue for each signal caught.
    private func deliver(_ number: Int32) {
        let handlers = state.withLock { $0.entries.filter { $0.signals.contains(number) }.map(\.handler) }
        guard !handlers.isEmpty else { return Self.takeDefaultAction(number) }
        for handler in handlers { handler(number) }
    }

    /// What the signal would have done untrapped: the default disposition back, the signal unblocked on
    /// this thread (Dispatch's threads block it) and raised again, which ends the process.
    private static func takeDefaultAction(_ number: Int32) {
        signal(number, SIG_DFL)
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, number)
        raise(number)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        // Still alive (the signal's default is not to end a process): the exit status it would imply.
        _exit(128 + number)
    }
}
