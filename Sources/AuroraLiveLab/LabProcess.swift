import Foundation

/// A server the lab started: its output goes to a log file (never a pipe nobody reads), and it is
/// stopped with SIGTERM, then SIGKILL after a grace period.
package final class LabProcess: @unchecked Sendable {
    // Unchecked: `process` is only touched from the test's own task (start, then stop once).
    package let name: String
    package let logPath: String
    private let process: Process

    /// Starts `executable` with `arguments`; output to `logPath`.
    package init(name: String, executable: String, arguments: [String], logPath: String, environment: [String: String]? = nil) throws {
        self.name = name
        self.logPath = logPath
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try log.close()
    }

    /// The process id.
    package var pid: Int32 { process.processIdentifier }
    /// Whether it still runs.
    package var isRunning: Bool { process.isRunning }

    /// Sends a signal.
    package func signal(_ number: Int32) { if process.isRunning { kill(process.processIdentifier, number) } }

    /// Stops it: SIGTERM, then SIGKILL after `grace` seconds. Returns its exit status.
    @discardableResult
    package func stop(grace: Double = 5) -> Int32 {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            let deadline = Date().addingTimeInterval(grace)
            while process.isRunning && Date() < deadline { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Waits for it to exit by itself, at most `timeout` seconds; nil when it is still running.
    package func wait(timeout: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { return nil }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// The tail of its log, for failure messages.
    package func logTail(_ lines: Int = 20) -> String {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }
}
