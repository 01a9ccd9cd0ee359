import AuroraTestSupport
import Foundation
import Testing

@Suite struct BinaryTests {
    @Test func binaryReportsUsageErrorsWithStatus64() throws {
        let result = try AuroraBinary.run(["killswich", "status"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("did you mean"))
    }

    /// Standard input is read once: a long CSV with several series piped to `--emit scores` comes back
    /// whole (a series column, each series' rows in input order), a NAB one streams.
    @Test func emitScoresReadsStandardInputOnce() throws {
        let long = "timestamp,metric,service,value\n120,cpu,b,2\n60,cpu,a,1\n0,cpu,a,3\n"
        let several = try AuroraBinary.run(["detect", "--no-store", "--detector", "zscore", "--emit", "scores", "-"], stdin: long)
        #expect(several.status == 0, "\(several.stderr)")
        #expect(several.stdout.split(separator: "\n").map { $0.split(separator: ",").dropLast().joined(separator: ",") } == [
            "series,timestamp,value",
            "\"cpu{service=\"\"a\"\"}\",1970-01-01 00:01:00,1",
            "\"cpu{service=\"\"a\"\"}\",1970-01-01 00:00:00,3",
            "\"cpu{service=\"\"b\"\"}\",1970-01-01 00:02:00,2",
        ])
        let nab = try AuroraBinary.run(["detect", "--no-store", "--detector", "zscore", "--emit", "scores", "-"],
                                       stdin: "timestamp,value\n60,1\n0,2\n")
        #expect(nab.stdout == "timestamp,value,anomaly_score\n1970-01-01 00:01:00,1,0\n1970-01-01 00:00:00,2,0\n")
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
