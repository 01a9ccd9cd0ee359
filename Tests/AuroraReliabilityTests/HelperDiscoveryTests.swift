import AuroraCLITestSupport
import AuroraTestSupport
import Foundation
import Testing

/// HTTP actions run through the `aurora-http` helper installed beside `aurora`. Operators start
/// aurora by name through PATH (argv[0] is then just "aurora"), from any folder: the helper must be
/// found from the program's real location, not from argv[0] taken relative to the working folder.
@Suite struct HelperDiscoveryTests {
    @Test func httpActionsFindTheHelperWhenAuroraIsStartedThroughPATH() throws {
        let folder = try TemporaryDirectory("aurora-helper-path")
        defer { folder.remove() }
        let spy = try RemediationSpy(directory: folder.path)
        try spy.writeConfiguration(safety: "cooldown-between-same-service: 0s", actions: """
                  call:
                    type: scale-up
                    http:
                      url: 'http://127.0.0.1:9/scale/{service}'
                      retries: 0
            """)
        let database = folder.file("aurora.db")
        // Run from the temporary folder, by name, with the build folder on PATH.
        let script = "cd \(folder.path.shellQuoted) && PATH=\"$(dirname \"$AURORA\"):$PATH\" exec aurora --db \(database.shellQuoted) "
            + "--config \(spy.configuration.shellQuoted) remediate call --service web"
        let result = try AuroraProcess.shell(script, in: folder)
        #expect(result.status == 69, "\(result.stdout) \(result.stderr)")
        #expect(!(result.stdout + result.stderr).contains("helper"), "\(result.stdout) \(result.stderr)")
        #expect((result.stdout + result.stderr).lowercased().contains("connect"), "\(result.stdout) \(result.stderr)")
    }
}
