import AuroraTestSupport
import Foundation
import Testing

/// Issue 17, point 9: CI's test summary says what was skipped and why (Swift Testing's last line
/// counts only what ran).
@Suite struct SkippedSummaryTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".ci/skipped-summary").path

    @Test func theSummaryCountsSkippedTestsAndSuitesWithTheirReasons() throws {
        let directory = try TemporaryDirectory("aurora-skips")
        defer { directory.remove() }
        let log = try directory.write("test.log", """
            ✔ Test quickStart() passed after 1.0 seconds.
            ➜ Suite ClockJumpTests skipped: "libfaketime is not installed (apt-get install libfaketime)"
            ➜ Test thePageRendersInHeadlessChromium() skipped: "chromium is not installed (apt-get install chromium)"
            ✔ Test run with 500 tests in 112 suites passed after 394.6 seconds.

            """)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [Self.script, log]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(output.hasPrefix("2 tests or suites skipped:\n"), "\(output)")
        #expect(output.contains("libfaketime is not installed") && output.contains("chromium is not installed"))
    }
}
