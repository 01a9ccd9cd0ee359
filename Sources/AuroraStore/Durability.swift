/// When a write transaction reaches the disk (`Database.write(durability:)`).
///
/// Both keep the database consistent through a crash or a power loss (the write-ahead log is
/// append-only and checksummed); they differ in what a power loss (not a process crash) may take back.
package enum Durability: Sendable {
    /// Synced at commit (`synchronous = FULL`): once the commit returns, the transaction survives a power
    /// loss. Decisions, remediation state and the audit log.
    case synced
    /// Not synced at commit (`synchronous = NORMAL`, in WAL mode only; elsewhere as `synced`): a power
    /// loss may take back this transaction and the other deferred ones after the last synced commit,
    /// never more, since a synced commit syncs the whole log before it. For data aurora can fetch or
    /// compute again: live points with their watermarks, detector checkpoints and the events they
    /// found. A watcher writes those every pass, and an fsync per transaction was a tenth of its CPU.
    case deferred
}
