import Dispatch
import Foundation

/// Catches SIGINT, SIGTERM and SIGHUP while a remediation executes, so that aurora stops the
/// executor's process group and records the interruption before it exits, instead of dying and
/// leaving the action running in a session of its own.
///
/// Installed only around execution: elsewhere the default action (end aurora) is right, because
/// nothing is left behind that recovery cannot explain. A long-running caller with its own signal
/// handling (`aurora watch`) turns the trap off (`RemediationFlow.trapsSignals`) and calls
/// `RemediationFlow.interrupt(by:)` itself.
final class SignalTrap: @unchecked Sendable {
    // Safe to share: every property is a `let` set in `init`; Dispatch sources are thread-safe.
    private let sources: [any DispatchSourceSignal]
    private let previous: [(Int32, (@convention(c) (Int32) -> Void)?)]

    /// The signals an operator uses to stop a command: Ctrl-C, `kill`, a closed terminal.
    static let stopSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    /// Starts catching `signals`; `handler` runs on a Dispatch queue of its own for each one caught.
    init(_ signals: [Int32] = SignalTrap.stopSignals, handler: @escaping @Sendable (Int32) -> Void) {
        let queue = DispatchQueue(label: "aurora.signal-trap")
        var sources: [any DispatchSourceSignal] = []
        var previous: [(Int32, (@convention(c) (Int32) -> Void)?)] = []
        for number in signals {
            // The default action must be off for the Dispatch source to see the signal; children
            // get every disposition reset to the default when they are spawned.
            previous.append((number, signal(number, SIG_IGN)))
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { handler(number) }
            source.resume()
            sources.append(source)
        }
        self.sources = sources
        self.previous = previous
    }

    /// Stops catching: the dispositions in force before `init` come back.
    func remove() {
        for source in sources { source.cancel() }
        for (number, handler) in previous { signal(number, handler) }
    }
}
