import AuroraCore
import Foundation
import Synchronization

/// The demo's clock: scenario time, moved by the demo a minute at a time.
final class SimulatedClock: WallClock {
    private let current: Mutex<Date>

    init(_ start: Date) { current = Mutex(start) }

    func now() -> Date { current.withLock { $0 } }

    func set(_ date: Date) { current.withLock { $0 = date } }
}
