import AuroraCore
import AuroraStore
import Foundation

/// The watcher's lease on its database: claimed at start (a second watcher exits 75 naming the
/// holder), refreshed by a heartbeat of its own every third of its time to live — on a connection of
/// its own, so that a long pass (a slow remediation) never lets it lapse — and released at a clean stop.
package final class LeaseKeeper: @unchecked Sendable {
    // Unchecked: `task` and `lost` are guarded by `lock`.
    package let holder: String
    let path: String
    let ttl: TimeInterval
    let clock: any WallClock
    private let lock = NSLock()
    private var task: Task<Void, Never>?
    private var lost = false

    package init(path: String, ttl: TimeInterval, clock: any WallClock) {
        self.path = path
        self.ttl = ttl
        self.clock = clock
        holder = "\(ProcessInfo.processInfo.hostName) pid \(getpid())"
    }

    /// Claims the lease; throws a `.temporary` failure (exit 75) naming the holder when another lives.
    package func claim(in store: Store) throws -> WatchLease? {
        let host = ProcessInfo.processInfo.hostName
        let now = clock.now()
        let claim = try store.database.write { db in
            try WatchStateStore.claimLease(holder: holder, host: host, pid: getpid(), ttl: ttl, at: now,
                                           isAlive: { kill($0, 0) == 0 || errno == EPERM }, in: db)
        }
        switch claim {
        case .acquired(let previous): return previous
        case .held(let lease):
            let age = Int(now.timeIntervalSince(lease.heartbeat).rounded())
            throw SimpleFailure(.temporary, "\(store.path): another aurora watch holds this database: \(lease.holder) "
                                + "(last heartbeat \(age) s ago; its lease expires in \(max(0, Int(lease.expires.timeIntervalSince(now).rounded()))) s)")
        }
    }

    /// Starts the heartbeat; `onLost` is called once if another watcher took the lease over.
    package func startHeartbeat(onLost: @escaping @Sendable () -> Void) {
        let (path, holder, ttl, clock) = (self.path, self.holder, self.ttl, self.clock)
        let heartbeat = Task.detached { [weak self] in
            // The watcher's own bound on the log: at the default, each heartbeat truncated the log the passes keep.
            guard let database = try? Database(path: path, options: Database.Options(create: false, walTruncateThresholdBytes: WatchLoop.writeAheadLogBytes))
            else { return }
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: UInt64(ttl / 3 * 1e9))
                if Task.isCancelled { break }
                let kept = (try? database.write { try WatchStateStore.heartbeat(holder: holder, ttl: ttl, at: clock.now(), in: $0) }) ?? true
                if !kept {
                    self?.lock.withLock { self?.lost = true }
                    onLost()
                    return
                }
            }
        }
        lock.withLock { task = heartbeat }
    }

    /// Whether the lease was lost.
    package var isLost: Bool { lock.withLock { lost } }

    /// Stops the heartbeat and gives the lease up.
    package func release(in store: Store) {
        lock.withLock { task?.cancel() }
        _ = try? store.database.write { try WatchStateStore.releaseLease(holder: holder, in: $0) }
    }
}
