import Foundation

/// The built `aurora` executable, for the few end-to-end tests that spawn real processes.
package enum AuroraBinary {
    /// Looks beside the test bundle (SwiftPM puts products and the test bundle in one folder).
    package static func path() throws -> String {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("aurora").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        if let env = ProcessInfo.processInfo.environment["AURORA_BINARY"] { return env }
        struct Missing: Error, CustomStringConvertible {
            var description: String { "the aurora executable was not found beside the test bundle (set AURORA_BINARY)" }
        }
        throw Missing()
    }

    /// Runs the binary to completion and returns its status and output. Uses posix_spawn via
    /// Foundation.Process: these children never leave grandchildren holding the pipes.
    package static func run(_ arguments: [String], environment: [String: String] = [:], stdin: String? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try path())
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }
}
