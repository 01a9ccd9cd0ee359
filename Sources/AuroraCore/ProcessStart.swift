/// The identity of a started child: it leads its own session and process group (pgid == pid).
package struct ProcessStart: Sendable, Equatable {
    /// The child's pid.
    package var pid: Int32
    /// The child's process group (signals go to the whole group).
    package var processGroup: Int32

    /// Creates a start record.
    package init(pid: Int32, processGroup: Int32) {
        self.pid = pid
        self.processGroup = processGroup
    }
}
