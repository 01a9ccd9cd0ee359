import AuroraCore
import Foundation
import Synchronization

/// A wall clock that tests set and move.
package final class FixedClock: WallClock {
    private let current: Mutex<Date>

    package init(_ date: Date = Date(timeIntervalSince1970: 1_795_000_000)) { current = Mutex(date) }

    package func now() -> Date { current.withLock { $0 } }

    package func set(_ date: Date) { current.withLock { $0 = date } }

    package func advance(_ seconds: Double) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}
