import AuroraCore
import Foundation
import Synchronization

/// A wall clock that tests set and move.
public final class FixedClock: WallClock {
    private let current: Mutex<Date>

    public init(_ date: Date = Date(timeIntervalSince1970: 1_795_000_000)) { current = Mutex(date) }

    public func now() -> Date { current.withLock { $0 } }

    public func set(_ date: Date) { current.withLock { $0 = date } }

    public func advance(_ seconds: Double) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}
