import AuroraCLITestSupport
import AuroraTestSupport
import Foundation
import Testing

/// libfaketime, when installed: it moves the wall clock of the processes it is preloaded into.
enum FakeTime {
    static let library: String? = [
        "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1",
        "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1",
        "/usr/lib/faketime/libfaketime.so.1",
        "/usr/local/lib/faketime/libfaketime.so.1",
    ].first { FileManager.default.fileExists(atPath: $0) }

    static var available: Bool { library != nil }
}

/// Real `aurora` processes on one database whose wall clock the test steps by rewriting a libfaketime
/// offset file. `FAKETIME_NO_CACHE` makes every clock read see the file as it is now.
/// `FAKETIME_DONT_FAKE_MONOTONIC` models a real clock step: NTP or an operator moves
/// `CLOCK_REALTIME`, never `CLOCK_MONOTONIC`.
///
/// Offsets are relative to a base three days in the past, so the offset libfaketime applies is always
/// negative: libfaketime 0.9.10 also moves absolute timerfd deadlines (dispatch's timers, hence
/// `Task.sleep`) by its offset, and a positive one would make them fire at once on a machine up for
/// longer than the offset (an action's timeout then kills it immediately). A negative offset only
/// delays timers, which these commands never wait for.
struct ClockJumpWorld {
    let folder: TemporaryDirectory
    let spy: RemediationSpy
    var database: String { folder.file("aurora.db") }
    var offsetFile: String { folder.file("faketime") }
    static let base = -3 * 86_400

    init(safety: String = "cooldown-between-same-service: 0s", actions: String = "") throws {
        folder = try TemporaryDirectory("aurora-clock-jump")
        spy = try RemediationSpy(directory: folder.path)
        try spy.writeConfiguration(safety: safety, actions: actions)
        try step("+0")
    }

    /// Sets the wall clock every later clock read sees, relative to the base: `+0`, `-1h`, `+1d`, `+30`
    /// (seconds), `+25h`.
    func step(_ offset: String) throws {
        try Data("\(Self.base + Self.seconds(offset))\n".utf8).write(to: URL(fileURLWithPath: offsetFile))
    }

    /// `±N[smhd]` in seconds.
    static func seconds(_ offset: String) -> Int {
        let sign = offset.hasPrefix("-") ? -1 : 1
        var digits = offset.drop { $0 == "+" || $0 == "-" }
        var unit = 1
        if let last = digits.last, let scale = ["s": 1, "m": 60, "h": 3600, "d": 86_400][String(last)] {
            unit = scale
            digits = digits.dropLast()
        }
        return sign * (Int(digits) ?? 0) * unit
    }

    var environment: [String: String] {
        [
            "LD_PRELOAD": FakeTime.library ?? "", "FAKETIME_TIMESTAMP_FILE": offsetFile, "FAKETIME_NO_CACHE": "1",
            "FAKETIME_DONT_FAKE_MONOTONIC": "1", "SECRET_TOKEN": "clock-jump-secret",
        ]
    }

    /// Runs `aurora` with its wall clock at `offset` from the starting one (see `step`).
    func run(at offset: String, _ arguments: [String], label: String? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
        try step(offset)
        return try AuroraProcess.run(["--db", database, "--config", spy.configuration] + arguments, in: folder, label: label,
                                     environment: environment)
    }

    func json(at offset: String = "+0", _ arguments: [String]) throws -> [[String: Any]] {
        let result = try run(at: offset, arguments + ["--json"])
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]] ?? []
    }

    func state(_ id: Int) throws -> String? {
        try json(["queue", "--all"]).first { ($0["id"] as? Int) == id }?["state"] as? String
    }

    func audit(action: String) throws -> [[String: Any]] {
        try json(["audit"]).filter { $0["action"] as? String == action }
    }
}

/// Issue 9 case 28, end to end: the wall clock of real `aurora` processes stepped back 1 h and forward
/// 1 day between and during commands (the injected-clock versions are in PolicyTests and
/// RemediationRefusalTests).
@Suite(.serialized, .enabled(if: FakeTime.available, "libfaketime is not installed (apt-get install libfaketime)"))
struct ClockJumpTests {
    /// libfaketime's constructor used to leave Swift's runtime with an empty argv: aurora fell back to
    /// its root help. `ProcessArguments` reads `/proc/self/cmdline` instead.
    @Test func auroraSeesItsArgumentsUnderLibfaketime() throws {
        let world = try ClockJumpWorld()
        defer { world.folder.remove() }
        let version = try world.run(at: "-1d", ["version"])
        #expect(version.status == 0)
        #expect(version.stdout.hasPrefix("aurora "), "\(version.stdout)")
        #expect(!version.stdout.contains("Usage:"))
        // And the clock really moved: a switch set at -1d until +2h (of that clock) is already over at +0.
        #expect(try world.run(at: "-1d", ["killswitch", "on", "--global", "--until", "+2h"]).status == 0)
        #expect(try world.run(at: "-1d", ["killswitch", "check"]).status == 77)
        #expect(try world.run(at: "+0", ["killswitch", "check"]).status == 0)
        #expect(ClockJumpWorld.seconds("-1h") == -3600 && ClockJumpWorld.seconds("+25h") == 90_000 && ClockJumpWorld.seconds("+30") == 30)
    }

    /// HTTP actions find the `aurora-http` helper beside the program even though the runtime's argv
    /// (which it was looked up from) is empty under libfaketime.
    @Test func httpActionsFindTheirHelperUnderLibfaketime() throws {
        let world = try ClockJumpWorld(actions: """
                  call:
                    type: scale-up
                    http:
                      url: 'http://127.0.0.1:9/scale/{service}'
                      retries: 0
            """)
        defer { world.folder.remove() }
        let result = try world.run(at: "-1h", ["remediate", "call", "--service", "web"])
        #expect(result.status == 69)
        #expect(!result.stdout.contains("helper"), "\(result.stdout)")
        #expect(result.stdout.lowercased().contains("connect"), "\(result.stdout)")
    }

    /// `--until` expires at its instant, not earlier when the clock goes back, and once: the first
    /// remediation command past it records the expiry; stepping the clock back afterwards does not
    /// turn the switch on again.
    @Test func killSwitchUntilExpiresOnceAndCorrectly() throws {
        let world = try ClockJumpWorld()
        defer { world.folder.remove() }
        #expect(try world.run(at: "+0", ["killswitch", "on", "--service", "checkout", "--until", "+2h", "--reason", "deploy"]).status == 0)
        #expect(try world.run(at: "-1h", ["killswitch", "check", "--service", "checkout"]).status == 77)
        let refused = try world.run(at: "-1h", ["remediate", "restart", "--service", "checkout"])
        #expect(refused.status == 77)
        #expect(refused.stderr.contains("rule killswitch.service:checkout"))
        #expect(try world.run(at: "+1h", ["killswitch", "check", "--service", "checkout"]).status == 77)
        #expect(world.spy.invocations == 0)

        // A day later the switch is over: the remediation runs and the expiry is recorded.
        #expect(try world.run(at: "+1d", ["killswitch", "check", "--service", "checkout"]).status == 0)
        let allowed = try world.run(at: "+1d", ["remediate", "restart", "--service", "checkout"])
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(world.spy.invocations == 1)

        // Back to the starting clock (before the --until): the switch stays expired, and expired once.
        #expect(try world.run(at: "+0", ["killswitch", "check", "--service", "checkout"]).status == 0)
        #expect(try world.run(at: "-1h", ["killswitch", "check", "--service", "checkout"]).status == 0)
        #expect(try world.run(at: "-1h", ["killswitch", "status"]).stdout.contains("no kill switch is on"))
        #expect(try world.run(at: "+2d", ["remediate", "restart", "--service", "checkout"]).status == 0)
        #expect(world.spy.invocations == 2)
        let expired = try world.audit(action: "killswitch.expired")
        #expect(expired.count == 1)
        #expect(expired.first?["subject"] as? String == "service:checkout")
    }

    /// Starts recorded "in the future" by a clock that later went back still count: neither the
    /// cooldown nor the hourly window reopens; a day later both are open.
    @Test func rateLimitWindowsDoNotReopenWhenTheClockGoesBack() throws {
        let world = try ClockJumpWorld(safety: "max-remediations-per-hour: 2\n    cooldown-between-same-service: 300s")
        defer { world.folder.remove() }
        #expect(try world.run(at: "+0", ["remediate", "restart", "--service", "a"]).status == 0)
        let cooldown = try world.run(at: "-1h", ["remediate", "restart", "--service", "a"])
        #expect(cooldown.status == 77)
        #expect(cooldown.stderr.contains("rule rate.cooldown"), "\(cooldown.stderr)")
        #expect(try world.run(at: "-1h", ["remediate", "restart", "--service", "b"]).status == 0)
        let hourly = try world.run(at: "-1h", ["remediate", "restart", "--service", "c"])
        #expect(hourly.status == 77)
        #expect(hourly.stderr.contains("rule rate.per-hour"), "\(hourly.stderr)")
        #expect(world.spy.invocations == 2)
        #expect(try world.run(at: "+1d", ["remediate", "restart", "--service", "c"]).status == 0)
        #expect(world.spy.invocations == 3)
    }

    /// A queued item dated after now beyond the 60 s tolerance is refused (and left queued); within the
    /// tolerance it is approved; a pending item past its time to live expires once and stays expired
    /// when the clock goes back.
    @Test func futureDatedRequestsAreRefusedAndPendingItemsExpireOnce() throws {
        let world = try ClockJumpWorld()
        defer { world.folder.remove() }
        #expect(try world.run(at: "+1d", ["remediate", "failover", "--service", "db", "--actor", "alice"]).status == 0)
        let refused = try world.run(at: "+0", ["approve", "1", "--yes", "--actor", "bob"])
        #expect(refused.status == 77)
        #expect(refused.stderr.contains("rule approval.from-the-future"), "\(refused.stderr)")
        #expect(refused.stderr.contains("beyond the 60s clock tolerance"))
        #expect(try world.state(1) == "queued")
        #expect(world.spy.invocations == 0)

        #expect(try world.run(at: "+30", ["remediate", "failover", "--service", "db2", "--actor", "alice"]).status == 0)
        let skewed = try world.run(at: "+0", ["approve", "2", "--yes", "--actor", "bob"])
        #expect(skewed.status == 0, "\(skewed.stderr)")
        #expect(world.spy.invocations == 1)

        // Pending time to live (24 h): item 3 expires when a command runs a day and an hour later…
        #expect(try world.run(at: "+0", ["remediate", "failover", "--service", "db3", "--actor", "alice"]).status == 0)
        let late = try world.run(at: "+25h", ["approve", "3", "--yes", "--actor", "bob"])
        #expect(late.status == 77)
        #expect(late.stderr.contains("no longer pending: it is expired"), "\(late.stderr)")
        // …and stays expired once the clock is back.
        let back = try world.run(at: "+0", ["approve", "3", "--yes", "--actor", "bob"])
        #expect(back.status == 77)
        #expect(try world.state(3) == "expired")
        #expect(try world.audit(action: "remediation.expire").count == 1)
        #expect(world.spy.invocations == 1)
    }

    /// The executor's timeout must not read the wall clock (the mid-run step itself is tested with an
    /// injected clock: RemediationGateTests.timeoutIgnoresAWallClockStepMidRun). Not end to end under
    /// libfaketime: 0.9.10 also shifts absolute `CLOCK_MONOTONIC` timerfd deadlines by its offset
    /// (seen with strace: a -1h step re-arms dispatch's timer 3 600 s later, a +1d step makes it
    /// EINVAL), which a real clock step never does, so such a test would measure libfaketime.
    @Test func executorsAndPolicyNeverReadTheWallClockThemselves() throws {
        let readers = ["Date()", "Date.now", "gettimeofday", "CLOCK_REALTIME", "time(nil)", "CFAbsoluteTimeGetCurrent"]
        let found = try SourceScan.lines { file, line in
            (file.hasPrefix("AuroraExecutors/") || file.hasPrefix("AuroraRemediation/"))
                && !line.trimmingCharacters(in: .whitespaces).hasPrefix("//")
                && readers.contains { line.contains($0) }
        }
        #expect(found.isEmpty, "\(found.joined(separator: "\n"))")
    }
}
