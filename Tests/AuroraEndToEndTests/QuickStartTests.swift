import AuroraTestSupport
import Foundation
import Testing

/// Issue 17, point 2: README's quick start, run verbatim by bash with the built `aurora` first on
/// PATH, works to the end: no step fails, heal resolves the incident, and a pattern is learned.
@Suite struct QuickStartTests {
    static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("README.md")

    /// The first `sh` block under "## Quick start", exactly as written.
    static func quickStart() throws -> String {
        let text = try String(contentsOf: readme, encoding: .utf8)
        let section = try #require(text.range(of: "## Quick start"))
        let rest = text[section.upperBound...]
        let open = try #require(rest.range(of: "```sh\n"))
        let close = try #require(rest[open.upperBound...].range(of: "```"))
        return String(rest[open.upperBound..<close.lowerBound])
    }

    @Test func readmesQuickStartRunsVerbatimToTheEnd() throws {
        let script = try Self.quickStart()
        #expect(script.contains("aurora heal --stored") && script.contains("aurora patterns list"))
        let home = try TemporaryDirectory("aurora-quickstart")
        defer { home.remove() }
        let binary = try AuroraBinary.path()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        // -e: any step that fails stops the run (the killswitch check is guarded by `|| echo` in README).
        process.arguments = ["-e", "-c", script]
        process.environment = [
            "PATH": (binary as NSString).deletingLastPathComponent + ":/usr/bin:/bin",
            "HOME": home.path, "TMPDIR": home.path, "USER": "tester",
            "XDG_STATE_HOME": home.path + "/state", "XDG_CONFIG_HOME": home.path + "/config",
        ]
        process.currentDirectoryURL = URL(fileURLWithPath: home.path)
        let log = home.path + "/quickstart.log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try handle.close()
        let output = try String(contentsOfFile: log, encoding: .utf8)
        #expect(process.terminationStatus == 0, "the quick start stopped:\n\(output)")
        #expect(output.contains("remediation is halted"))
        #expect(output.contains("incident 1 resolved"), "\(output)")
        #expect(output.contains("learned a new pattern #1"), "\(output)")
        // `patterns list` shows it, and the SLO report counts in the data's time (no 333-day MTTR).
        #expect(output.contains("learned: postgres"), "\(output)")
        #expect(output.contains("clock: the data's own timestamps"))
        #expect(output.range(of: #"\b[0-9]+d[0-9]+h"#, options: .regularExpression) == nil, "a figure in days:\n\(output)")
    }
}
