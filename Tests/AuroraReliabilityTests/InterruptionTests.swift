import AuroraTestSupport
import Foundation
import Testing

/// Issue 18 items 1 and 2: a signal to aurora while its executor runs (real processes, real signals).
/// The executor runs in a session of its own, so without a handler it outlived aurora: past its
/// timeout, with no health check or rollback, uncounted by the concurrency limit.
@Suite(.serialized) struct InterruptionTests {
    /// A folder with a configuration of a hanging command action and a hanging HTTP action (to a
    /// loopback listener that accepts the connection and never answers).
    struct World {
        let folder: TemporaryDirectory
        let listener: SilentListener
        var database: String { folder.file("aurora.db") }
        var configuration: String { folder.file("aurora.yaml") }

        init() throws {
            folder = try TemporaryDirectory("aurora-interruption")
            listener = try SilentListener()
            let yaml = """
                aurora:
                  safety:
                    cooldown-between-same-service: 0s
                    max-concurrent-remediations: 1
                  remediation:
                    kill-grace: 2s
                    actions:
                      hang:
                        type: service-restart
                        tier: low
                        timeout: 60s
                        command: [sleep, "1000"]
                      stubborn:
                        type: service-restart
                        tier: low
                        timeout: 60s
                        shell: "trap '' TERM; sleep 1000 & wait; sleep 1000"
                      post:
                        type: scale-up
                        tier: low
                        timeout: 60s
                        http:
                          method: POST
                          url: http://127.0.0.1:\(listener.port)/scale
                          retries: 3
                """
            try Data(yaml.utf8).write(to: URL(fileURLWithPath: configuration))
        }

        var base: [String] { ["--db", database, "--config", configuration] }

        func start(_ arguments: [String], label: String) throws -> AuroraProcess {
            try AuroraProcess(base + arguments, in: folder, label: label)
        }

        func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
            try AuroraProcess.run(base + arguments, in: folder)
        }

        func row(_ id: Int) throws -> [String: Any]? {
            let queue = try run(["queue", "--all", "--json"])
            let rows = try JSONSerialization.jsonObject(with: Data(queue.stdout.utf8)) as? [[String: Any]] ?? []
            return rows.first { $0["id"] as? Int == id }
        }

        /// Waits (bounded) until remediation `id` has recorded its executor's process group.
        func recordedGroup(_ id: Int, within seconds: Double = 30) throws -> Int32? {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if let group = try row(id)?["child_pgid"] as? Int, group > 1 { return Int32(group) }
                usleep(50_000)
            }
            return nil
        }

        func remove() {
            listener.close()
            folder.remove()
        }
    }

    /// Whether any process of group `pgid` is alive (not a zombie).
    static func groupIsAlive(_ pgid: Int32) -> Bool {
        guard kill(-pgid, 0) == 0 else { return false }
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return true }
        for entry in entries {
            guard Int32(entry) != nil, let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 3, Int32(fields[2]) == pgid, fields[0] != "Z", fields[0] != "X" { return true }
        }
        return false
    }

    /// Waits (bounded) for a group to be gone; returns the seconds it took, or nil.
    static func waitGone(_ pgid: Int32, within seconds: Double) -> Double? {
        let started = Date()
        while Date().timeIntervalSince(started) < seconds {
            if !groupIsAlive(pgid) { return Date().timeIntervalSince(started) }
            usleep(20_000)
        }
        return nil
    }

    /// 18.1: SIGTERM, SIGINT or SIGHUP during `remediate` stops the executor's group, records the
    /// remediation interrupted by that signal, and aurora exits 128 + the signal.
    @Test(arguments: [(SIGTERM, Int32(143), "SIGTERM"), (SIGINT, Int32(130), "SIGINT"), (SIGHUP, Int32(129), "SIGHUP")])
    func aSignalDuringRemediateStopsTheExecutorAndIsRecorded(signal: Int32, status: Int32, name: String) throws {
        let world = try World()
        defer { world.remove() }
        let aurora = try world.start(["remediate", "hang", "--service", "a"], label: "remediate")
        let group = try #require(try world.recordedGroup(1), "the executor never recorded its group: \(aurora.stderr)")
        defer { kill(-group, SIGKILL) }
        #expect(Self.groupIsAlive(group))
        let sent = Date()
        kill(aurora.pid, signal)
        #expect(aurora.wait() == status, "\(aurora.stderr)")
        let stopped = Self.waitGone(group, within: 5)
        #expect(stopped != nil, "the executor's group \(group) outlived aurora")
        print("interruption: \(name) → aurora exited and group gone after \(String(format: "%.2f", Date().timeIntervalSince(sent))) s")
        let row = try #require(try world.row(1))
        #expect(row["state"] as? String == "interrupted")
        #expect((row["reason"] as? String)?.contains("interrupted by \(name)") == true, "\(row)")
        #expect((row["reason"] as? String)?.contains("never re-run automatically") == true)
        // The slot is free again: with max-concurrent-remediations 1, the next one runs.
        let next = try world.start(["remediate", "hang", "--service", "b"], label: "next")
        let nextGroup = try #require(try world.recordedGroup(2), "a second remediation did not start: \(next.stderr)")
        kill(next.pid, SIGTERM)
        #expect(next.wait() == 143)
        #expect(Self.waitGone(nextGroup, within: 5) != nil)
    }

    /// 18.1: a child that ignores SIGTERM is killed after `kill-grace` (2 s here), not left running.
    @Test func aChildIgnoringSIGTERMIsKilledAfterTheGrace() throws {
        let world = try World()
        defer { world.remove() }
        let aurora = try world.start(["remediate", "stubborn", "--service", "a"], label: "stubborn")
        let group = try #require(try world.recordedGroup(1), "no group recorded: \(aurora.stderr)")
        defer { kill(-group, SIGKILL) }
        usleep(300_000)  // let the shell install its trap
        let sent = Date()
        kill(aurora.pid, SIGINT)
        #expect(aurora.wait() == 130, "\(aurora.stderr)")
        let gone = Self.waitGone(group, within: 8)
        #expect(gone != nil, "the stubborn group survived the grace")
        let elapsed = Date().timeIntervalSince(sent)
        print("interruption: SIGTERM-ignoring group gone \(String(format: "%.2f", elapsed)) s after SIGINT (kill-grace 2 s)")
        #expect(elapsed >= 1.5, "SIGKILL came before the grace")
        #expect(try world.row(1)?["state"] as? String == "interrupted")
    }

    /// 18.1: the same during `approve` (the executor starts after approval).
    @Test func aSignalDuringApproveStopsTheExecutor() throws {
        let world = try World()
        defer { world.remove() }
        // Queue it: a high-tier copy of the action needs approval.
        let yaml = try String(contentsOfFile: world.configuration, encoding: .utf8)
            .replacingOccurrences(of: "tier: low\n        timeout: 60s\n        command:", with: "tier: high\n        timeout: 60s\n        command:")
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: world.configuration))
        let queued = try world.run(["remediate", "hang", "--service", "a", "--actor", "alice"])
        #expect(queued.status == 0, "\(queued.stderr)")
        #expect(try world.row(1)?["state"] as? String == "queued")
        let aurora = try world.start(["approve", "1", "--yes", "--actor", "bob"], label: "approve")
        let group = try #require(try world.recordedGroup(1), "no group recorded: \(aurora.stderr)")
        defer { kill(-group, SIGKILL) }
        kill(aurora.pid, SIGTERM)
        #expect(aurora.wait() == 143, "\(aurora.stderr)")
        #expect(Self.waitGone(group, within: 5) != nil)
        let row = try #require(try world.row(1))
        #expect(row["state"] as? String == "interrupted")
        #expect((row["reason"] as? String)?.contains("interrupted by SIGTERM") == true)
    }

    /// One process, two remediations (`approve 1 2`), the signal during the second: the process-wide
    /// trap still catches it. With a trap per remediation, the first one's removal reset the disposition
    /// that libdispatch (Linux) installs only once, and the second never saw the signal: aurora ran the
    /// action to its timeout.
    @Test func aSignalDuringTheSecondRemediationOfAProcessIsCaught() throws {
        let world = try World()
        defer { world.remove() }
        let yaml = try String(contentsOfFile: world.configuration, encoding: .utf8)
            .replacingOccurrences(of: "tier: low\n        timeout: 60s\n        command:", with: "tier: high\n        timeout: 20s\n        command:")
            .replacingOccurrences(of: "    actions:\n", with: """
                    actions:
                      quick:
                        type: clear-cache
                        tier: high
                        command: ["true"]

                """)
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: world.configuration))
        for action in ["quick", "hang"] {
            let queued = try world.run(["remediate", action, "--service", "a", "--actor", "alice"])
            #expect(queued.status == 0, "\(queued.stderr)")
        }
        #expect(try world.row(2)?["state"] as? String == "queued")
        let aurora = try world.start(["approve", "1", "2", "--yes", "--actor", "bob"], label: "approve-two")
        let group = try #require(try world.recordedGroup(2), "the second remediation never started: \(aurora.stderr)")
        defer { kill(-group, SIGKILL) }
        #expect(try world.row(1)?["state"] as? String == "succeeded")
        let sent = Date()
        kill(aurora.pid, SIGTERM)
        #expect(aurora.wait() == 143, "\(aurora.stderr)")
        #expect(Date().timeIntervalSince(sent) < 15, "aurora ran the action on instead of stopping it")
        #expect(Self.waitGone(group, within: 5) != nil)
        let row = try #require(try world.row(2))
        #expect(row["state"] as? String == "interrupted")
        #expect((row["reason"] as? String)?.contains("interrupted by SIGTERM") == true, "\(row)")
    }

    /// 18.2: the aurora-http helper is recorded like any executor; interrupted, it is stopped and the
    /// outcome says the request may have been sent — never "not started".
    @Test func anInterruptedHTTPActionIsRecordedAsMaybeSent() throws {
        let world = try World()
        defer { world.remove() }
        let aurora = try world.start(["remediate", "post", "--service", "a"], label: "post")
        let group = try #require(try world.recordedGroup(1), "the aurora-http helper was not recorded: \(aurora.stderr)")
        defer { kill(-group, SIGKILL) }
        #expect(world.listener.waitForConnection(within: 10), "the request never reached the listener")
        kill(aurora.pid, SIGTERM)
        #expect(aurora.wait() == 143, "\(aurora.stderr)")
        #expect(Self.waitGone(group, within: 5) != nil, "the helper outlived aurora")
        let row = try #require(try world.row(1))
        #expect(row["state"] as? String == "interrupted")
        let reason = row["reason"] as? String ?? ""
        #expect(reason.contains("unknown: the request may have been sent"), "\(reason)")
        #expect(!reason.contains("not started") && !reason.contains("had started"))
        // Not retried after the interruption: one connection only.
        usleep(500_000)
        #expect(world.listener.connections == 1)
    }

    /// 18.2: aurora killed outright (SIGKILL) mid-request: the next command finds the helper recorded
    /// and says the request may have been sent.
    @Test func aKilledAuroraLeavesAnHTTPActionRecordedAsMaybeSent() throws {
        let world = try World()
        defer { world.remove() }
        let aurora = try world.start(["remediate", "post", "--service", "a"], label: "post-kill")
        let group = try #require(try world.recordedGroup(1), "the aurora-http helper was not recorded: \(aurora.stderr)")
        defer { kill(-group, SIGKILL) }
        #expect(world.listener.waitForConnection(within: 10))
        aurora.kill()
        _ = aurora.wait()
        let row = try #require(try world.row(1))  // `queue` runs the recovery
        #expect(row["state"] as? String == "interrupted")
        let reason = row["reason"] as? String ?? ""
        #expect(reason.contains("unknown: the request may have been sent"), "\(reason)")
        #expect(reason.contains("process group \(group)"))
        #expect(!reason.contains("no executor process had started"))
    }
}

/// A loopback TCP listener that accepts connections and never answers: an HTTP request to it is
/// delivered and then waits. Counts the connections it accepted.
final class SilentListener: @unchecked Sendable {
    // Immutable after `init`; the accepted sockets live in `box`, which locks.
    private let socketFD: Int32
    let port: Int
    private let thread: Thread

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        socketFD = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        struct ListenerError: Error {}
        guard bound == 0, listen(fd, 16) == 0 else { throw ListenerError() }
        withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(fd, $0, &length) } }
        port = Int(UInt16(bigEndian: address.sin_port))
        let box = AcceptBox()
        thread = Thread {
            while true {
                let client = accept(fd, nil, nil)
                if client < 0 { return }
                box.add(client)
            }
        }
        self.box = box
        thread.start()
    }

    private let box: AcceptBox

    var connections: Int { box.count }

    func waitForConnection(within seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if box.count > 0 { return true }
            usleep(20_000)
        }
        return false
    }

    func close() {
        shutdown(socketFD, Int32(SHUT_RDWR))
        _ = Glibc.close(socketFD)
        box.closeAll()
    }
}

/// The accepted client sockets, shared with the accept thread.
final class AcceptBox: @unchecked Sendable {
    // Every access holds `lock`.
    private let lock = NSLock()
    private var clients: [Int32] = []
    func add(_ fd: Int32) { lock.withLock { clients.append(fd) } }
    var count: Int { lock.withLock { clients.count } }
    func closeAll() { lock.withLock { for fd in clients { _ = Glibc.close(fd) }; clients = [] } }
}
