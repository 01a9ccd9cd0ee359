import AuroraTestSupport
import Foundation
import Testing

@Suite struct BinaryTests {
    @Test func binaryReportsUsageErrorsWithStatus64() throws {
        let result = try AuroraBinary.run(["killswich", "status"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("did you mean"))
    }

    /// Many aurora processes writing to one database at once: none sees "database is locked", no
    /// write is lost.
    @Test func concurrentProcessesNeverLoseWrites() throws {
        let folder = try TemporaryDirectory("aurora-e2e")
        defer { folder.remove() }
        let database = folder.file("shared.db")
        let count = 24
        let binary = try AuroraBinary.path()
        var processes: [(Process, Pipe)] = []
        for index in 0..<count {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["--db", database, "killswitch", "on", "--service", "svc\(index)", "--reason", "r\(index)"]
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            processes.append((process, errors))
        }
        var failures: [String] = []
        for (process, errors) in processes {
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            if process.terminationStatus != 0 { failures.append("status \(process.terminationStatus): \(message)") }
        }
        #expect(failures.isEmpty, "\(failures)")
        let status = try AuroraBinary.run(["--db", database, "db", "status", "--json"])
        #expect(status.stdout.contains("\"kill_switches\":\(count)"))
        #expect(status.stdout.contains("\"audit_log\":\(count)"))
    }
}
