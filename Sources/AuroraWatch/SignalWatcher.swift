import Dispatch
import Foundation

/// Turns SIGTERM, SIGINT and SIGHUP into calls on a queue of its own (never in a signal handler):
/// the default actions are ignored while it lives, so a signal stops or reloads the watcher cleanly
/// instead of killing it mid-write.
package final class SignalWatcher: @unchecked Sendable {
    // Unchecked: the sources are created once and only cancelled in `stop`.
    private var sources: [any DispatchSourceSignal] = []
    private let queue = DispatchQueue(label: "aurora.watch.signals")

    package init(stop: @escaping @Sendable (Int32) -> Void, reload: @escaping @Sendable () -> Void) {
        for number in [SIGTERM, SIGINT, SIGHUP] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { number == SIGHUP ? reload() : stop(number) }
            source.resume()
            sources.append(source)
        }
    }

    /// Stops watching and restores the default actions.
    package func stop() {
        for source in sources { source.cancel() }
        sources = []
        for number in [SIGTERM, SIGINT, SIGHUP] { signal(number, SIG_DFL) }
    }
}
