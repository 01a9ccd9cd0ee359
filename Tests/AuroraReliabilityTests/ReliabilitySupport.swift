import AuroraCore
import AuroraStore
import AuroraTestSupport
import Foundation
import Testing

/// How many iterations a heavy loop runs: a small count in CI, more through
/// `AURORA_RELIABILITY_ITERATIONS` (e.g. 200 for the SIGKILL loop, as the issue asks).
enum Iterations {
    static func count(ci: Int) -> Int {
        if let text = ProcessInfo.processInfo.environment["AURORA_RELIABILITY_ITERATIONS"], let value = Int(text), value > 0 {
            return value
        }
        return ci
    }
}

/// A real `aurora` process whose output goes to files (never pipes: a killed or chatty child cannot
/// block the test on a full pipe).
final class AuroraProcess {
    let process = Process()
    let outputPath: String
    let errorPath: String

    /// Starts `aurora arguments…`, or `/bin/sh -c script` when `shell` is given (the script sees the
    /// binary as "$AURORA").
    init(_ arguments: [String], in folder: TemporaryDirectory, label: String, shell: String? = nil,
         environment: [String: String] = [:]) throws {
        let binary = try AuroraBinary.path()
        outputPath = folder.file("\(label).out")
        errorPath = folder.file("\(label).err")
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        if let shell {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", shell]
        } else {
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = arguments
        }
        var env = ProcessInfo.processInfo.environment
        env["AURORA"] = binary
        env["USER"] = "reliability"
        env["NO_COLOR"] = "1"
        env.removeValue(forKey: "AURORA_DB")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.standardOutput = FileHandle(forWritingAtPath: outputPath)
        process.standardError = FileHandle(forWritingAtPath: errorPath)
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }

    /// Waits and returns the exit status (128 + signal when killed, as a shell reports it).
    @discardableResult
    func wait() -> Int32 {
        process.waitUntilExit()
        return process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
    }

    func kill() { _ = Foundation.kill(process.processIdentifier, SIGKILL) }

    var stdout: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "" }

    /// Runs to completion.
    static func run(_ arguments: [String], in folder: TemporaryDirectory, label: String? = nil,
                    environment: [String: String] = [:]) throws -> (status: Int32, stdout: String, stderr: String) {
        let child = try AuroraProcess(arguments, in: folder, label: label ?? "run-\(UUID().uuidString.prefix(8))",
                                      environment: environment)
        let status = child.wait()
        return (status, child.stdout, child.stderr)
    }

    /// Runs a shell script to completion ("$AURORA" is the binary).
    static func shell(_ script: String, in folder: TemporaryDirectory, label: String? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
        let child = try AuroraProcess([], in: folder, label: label ?? "sh-\(UUID().uuidString.prefix(8))", shell: script)
        let status = child.wait()
        return (status, child.stdout, child.stderr)
    }
}

/// What a database holds, for "nothing changed" and invariant checks. Each call opens its own
/// connection and closes it at once, so the test never holds the database by accident.
struct DatabaseContent: Equatable {
    var rowCounts: [String: Int]
    /// FNV-1a over every row of every table, rows sorted: equal exactly when the logical content is.
    var checksum: UInt64

    static func read(_ path: String) throws -> DatabaseContent {
        let database = try Database(path: path, options: Database.Options(readOnly: true, create: false))
        return try database.read { db in
            let tables = try db.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
                .compactMap { $0[0].string }
            var counts: [String: Int] = [:]
            var text = ""
            for table in tables {
                let rows = try db.query("SELECT * FROM \"\(table)\"").map { row in
                    row.values.map { "\($0)" }.joined(separator: "\u{1F}")
                }.sorted()
                counts[table] = rows.count
                text += table + "\n" + rows.joined(separator: "\n") + "\n"
            }
            return DatabaseContent(rowCounts: counts, checksum: fnv1a64(text))
        }
    }

    static func integrity(_ path: String) throws -> [String] {
        let database = try Database(path: path, options: Database.Options(readOnly: true, create: false))
        return try database.integrityCheck()
    }

    static func scalar(_ path: String, _ sql: String, _ values: [SQLValue] = []) throws -> Int64 {
        let database = try Database(path: path, options: Database.Options(readOnly: true, create: false))
        return try database.scalar(sql, values)?.int64 ?? 0
    }

    static func rows(_ path: String, _ sql: String, _ values: [SQLValue] = []) throws -> [SQLRow] {
        let database = try Database(path: path, options: Database.Options(readOnly: true, create: false))
        return try database.query(sql, values)
    }
}

/// Metric dumps made up on the spot (tests never read /work/shared).
enum Dumps {
    /// A NAB CSV: `timestamp,value`, one point a minute.
    static func nab(points: Int, start: Int64 = 1_700_000_000, seed: UInt64 = 1) -> String {
        var generator = Xoshiro256(seed: seed)
        var text = "timestamp,value\n"
        text.reserveCapacity(points * 20)
        for index in 0..<points {
            text += "\(start + Int64(index) * 60),\(Int(generator.nextUnit() * 1000))\n"
        }
        return text
    }

    /// A long CSV with `series` services of one metric.
    static func long(metric: String, series: Int, points: Int, start: Int64 = 1_700_000_000) -> String {
        var text = "timestamp,metric,service,value\n"
        text.reserveCapacity(series * points * 32)
        for index in 0..<points {
            for service in 0..<series {
                text += "\(start + Int64(index) * 60),\(metric),s\(service),\(index % 97)\n"
            }
        }
        return text
    }
}

extension String {
    /// Quoted as one shell word.
    var shellQuoted: String { "'" + replacingOccurrences(of: "'", with: "'\\''") + "'" }
}

/// Reads aurora's own sources, for guards that a behaviour cannot regress silently.
enum SourceScan {
    /// `file:line: text` of every line of `Sources/**/*.swift` for which `matches(file, line)` holds.
    static func lines(where matches: (String, Substring) -> Bool) throws -> [String] {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        guard let files = FileManager.default.enumerator(atPath: sources.path) else {
            Issue.record("no Sources folder at \(sources.path)")
            return []
        }
        var found: [String] = []
        var scanned = 0
        while let relative = files.nextObject() as? String {
            guard relative.hasSuffix(".swift") else { continue }
            scanned += 1
            let text = try String(contentsOfFile: sources.appendingPathComponent(relative).path, encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where matches(relative, line) {
                found.append("\(relative):\(number + 1): \(line)")
            }
        }
        #expect(scanned > 10, "the scan found no sources")
        return found
    }
}
