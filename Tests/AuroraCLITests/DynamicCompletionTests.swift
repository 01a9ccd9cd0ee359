import AuroraCLITestSupport
import AuroraTestSupport
import Foundation
import Testing

/// Issue 17, point 9: completions offer action names from the configuration and incident and
/// remediation numbers from the database.
@Suite struct DynamicCompletionTests {
    @Test func theHiddenCommandListsActionsAndQueuedRemediations() async throws {
        let fixture = try RemediationFixture()
        defer { fixture.remove() }
        let actions = await fixture.run(["__complete", "actions"])
        #expect(actions.status == 0)
        let names = actions.stdout.split(separator: "\n").map { $0.split(separator: "\t").first.map(String.init) ?? "" }
        #expect(names.contains("failover") && names.contains("restart"), "\(actions.stdout)")
        #expect(await fixture.run(["__complete", "remediations"]).stdout.isEmpty)
        _ = await fixture.run(["remediate", "failover", "--service", "db", "--actor", "alice"])
        #expect(await fixture.run(["__complete", "remediations"]).stdout == "1\tfailover on db\n")
    }

    @Test func completingNeverCreatesADatabase() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let result = await cli.run(["__complete", "incidents"])
        #expect(result.status == 0 && result.stdout.isEmpty && result.stderr.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: cli.databasePath))
    }

    /// The generated bash script, sourced in a real bash, completes `aurora remediate <TAB>` with the
    /// configured actions and `aurora approve <TAB>` with the queued remediation.
    @Test func bashCompletesActionsAndIDs() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/bin/bash") else { return }
        let fixture = try RemediationFixture()
        defer { fixture.remove() }
        _ = await fixture.run(["remediate", "failover", "--service", "db", "--actor", "alice"])
        let binary = try AuroraBinary.path()
        let script = RepositoryFiles.path("completions/aurora.bash")
        func complete(_ words: [String]) throws -> [String] {
            let quoted = words.map { "'\($0)'" }.joined(separator: " ")
            let program = """
            export PATH='\((binary as NSString).deletingLastPathComponent)':"$PATH"
            source '\(script)'
            COMP_WORDS=(\(quoted)); COMP_CWORD=\(words.count - 1)
            _aurora
            printf '%s\\n' "${COMPREPLY[@]}"
            """
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = ["-c", program]
            process.environment = ["HOME": fixture.cli.directory.path, "PATH": "/usr/bin:/bin"]
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            try process.run()
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return output.split(separator: "\n").map(String.init)
        }
        let common = ["aurora", "--db", fixture.cli.databasePath, "--config", fixture.spy.configuration]
        let actions = try complete(common + ["remediate", ""])
        #expect(actions.contains("failover") && actions.contains("restart"), "\(actions)")
        #expect(try complete(common + ["approve", ""]).contains("1"))
        #expect(try complete(common + ["remediate", "restart", "--incident", ""]).isEmpty)
        // Detector names come from the build, with or without a database.
        #expect(try complete(["aurora", "detect", "--detector", "dr"]) == ["drift"])
        #expect(try complete(["aurora", "eval", "-d", ""]).contains("seasonal"))
    }

    @Test func theHiddenCommandListsTheDetectorsAndWhichAreOnByDefault() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let result = await cli.run(["__complete", "detectors"])
        let listed = await cli.run(["detect", "--list-detectors"])
        let completed: [String] = result.stdout.split(separator: "\n").map { line in String(line.prefix { $0 != "\t" }) }
        let names: [String] = listed.stdout.split(separator: "\n").map(String.init)
        #expect(completed == names)
        #expect(result.stdout.contains("seasonal\tin the default ensemble\n") && result.stdout.contains("drift\topt-in\n"), "\(result.stdout)")
        #expect(!FileManager.default.fileExists(atPath: cli.databasePath))
    }
}
