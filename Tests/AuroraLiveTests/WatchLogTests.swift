import AuroraWatch
import Foundation
import Testing

@Suite struct WatchLogTests {
    /// The watcher's human log is read on terminals too; its JSON form keeps the value, JSON-escaped.
    @Test func watchLogEscapesHumanLinesOnly() {
        let lines = LockedLines()
        let human = WatchLog(format: .human, write: { lines.append($0) })
        human.event("incident.opened", "incident 1 opened on pay\u{1B}[2Jments")
        let json = WatchLog(format: .json, write: { lines.append($0) })
        json.event("incident.opened", "incident 1 opened on pay\u{1B}[2Jments")
        let written = lines.all
        #expect(written.count == 2)
        #expect(written[0].hasSuffix(#"incident.opened: incident 1 opened on pay\e[2Jments"# + "\n"), "\(written[0].debugDescription)")
        #expect(written[1].contains(#"pay\u001b[2Jments"#), "\(written[1].debugDescription)")
    }
}

/// Lines a log wrote, collected across threads.
private final class LockedLines: @unchecked Sendable {
    // Unchecked: every access holds `lock`.
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}
