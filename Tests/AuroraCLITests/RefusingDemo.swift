import AuroraCLITestSupport
import Foundation
import Testing

/// The demo's fleet with every remediation refused by governance, so that its incident stays open and
/// the loop revisits it: what the "repeated decision" tests start from.
extension CLIHarness {
    /// Writes the demo's data, points `AURORA_CONFIG` at its configuration plus a deny-all governance
    /// rule and `extraConfiguration` (YAML under `aurora:`), runs `before` (e.g. importing a pattern),
    /// then ingests the history and detects on it. Returns the data folder.
    mutating func refusingDemo(extraConfiguration: String = "", before: (CLIHarness) async throws -> Void = { _ in }) async throws -> String {
        let folder = directory.file("demo-data")
        #expect(await run(["demo", "--write-data", folder]).status == 0)
        let demo = try String(contentsOfFile: folder + "/aurora.yaml", encoding: .utf8)
        let configuration = try directory.write("refusing.yaml", demo + "\n  governance:\n    rules: [{name: hands-off, effect: deny}]\n"
                                                + extraConfiguration)
        environment["AURORA_CONFIG"] = configuration
        try await before(self)
        #expect(await run(["ingest", folder + "/fleet-history.csv"]).status == 0)
        #expect(await run(["detect", "--quiet"]).status == 0)
        return folder
    }
}
