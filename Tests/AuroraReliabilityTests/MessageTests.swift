import AuroraCLITestSupport
import Foundation
import Testing

/// Issue 18, item 11: messages that pointed to the wrong place or did not say why.
@Suite(.serialized) struct MessageTests {
    /// A repeated key is reported at the repetition (line 5), not at `1:1`.
    @Test func aDuplicateConfigurationKeyIsReportedAtItsLine() async throws {
        let harness = try CLIHarness()
        defer { harness.remove() }
        let config = try harness.directory.write("aurora.yaml", """
            aurora:
              remediation:
                max-concurrent-remediations: 2
              detection: {}
              remediation:
                max-concurrent-remediations: 3
            """)
        let result = await harness.run(["--config", config, "config", "check"])
        #expect(result.status == 78, "\(result.stderr)")
        #expect(result.stderr.contains("\(config):5:3: duplicate key `remediation` (first at line 2"), "\(result.stderr)")
    }

    /// A file whose lines end in a carriage return alone is one line to a reader splitting at
    /// newlines; the message says that instead of "a header but no data rows".
    @Test func carriageReturnLineEndsAreNamed() async throws {
        let harness = try CLIHarness()
        defer { harness.remove() }
        let path = try harness.directory.write("classic-mac.csv", "timestamp,value\r1700000000,1\r1700000060,2\r")
        let result = await harness.run(["ingest", path])
        #expect(result.status == 65, "\(result.stderr)")
        #expect(result.stderr.contains("\(path):1:16: lines end with a carriage return alone"), "\(result.stderr)")
        #expect(!result.stderr.contains("no data rows"))
    }

    /// Line protocol escapes spaces in measurements, tag keys and values (`web\ 1`); such lines are
    /// recognised as line protocol and read with the space in place.
    @Test func influxLinesWithEscapedSpacesAreRecognised() async throws {
        let harness = try CLIHarness()
        defer { harness.remove() }
        let path = try harness.directory.write("escaped.txt", """
            cpu,host=web\\ 1 usage_idle=2 1700000000000000000
            cpu,host=web\\ 1 usage_idle=3 1700000060000000000

            """)
        let result = await harness.run(["ingest", path])
        #expect(result.status == 0, "\(result.stderr)")
        let list = await harness.run(["series", "list"])
        #expect(list.stdout.contains(#"cpu_usage_idle{host="web 1"}"#), "\(list.stdout)")
    }

    /// A configuration path that is a folder says so.
    @Test func aConfigurationFolderSaysItIsAFolder() async throws {
        let harness = try CLIHarness()
        defer { harness.remove() }
        let folder = harness.directory.file("conf.d")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let result = await harness.run(["--config", folder, "config", "check"])
        #expect(result.status == 78, "\(result.stderr)")
        #expect(result.stderr.contains("\(folder): cannot read the configuration file: it is a directory"), "\(result.stderr)")
    }
}
