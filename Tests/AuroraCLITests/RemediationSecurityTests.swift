import AuroraTestSupport
import Foundation
import Testing

@Suite struct RemediationSecurityTests {
    static let hostile = ["; touch MARKER", "$(touch MARKER)", "`touch MARKER`", "'\"quoted\"'", "line\nbreak", "../../etc/passwd",
                          "-rf", "*", "a && touch MARKER", String(repeating: "x", count: 5000)]

    @Test(arguments: ["restart", "reload"])
    func hostileValuesReachTheExecutorAsInertData(action: String) async throws {
        let fixture = try RemediationFixture()
        defer { fixture.remove() }
        let marker = fixture.cli.directory.file("MARKER")
        var expected = 0
        for value in Self.hostile.map({ $0.replacingOccurrences(of: "MARKER", with: marker) }) {
            let result = await fixture.run(["remediate", action, "--service", "svc", "--param", "msg=\(value)"])
            #expect(result.status == 0, "\(result.stderr)")
            expected += 1
            #expect(fixture.spy.invocations == expected)
            // Each value is one argv element (exec) or one variable (shell), byte for byte.
            #expect(fixture.spy.text.contains("msg=[\(value)]"))
            if action == "restart" { #expect(fixture.spy.text.contains("arg=[\(value)]")) }
        }
        let service = "svc; touch \(marker)"
        #expect(await fixture.run(["remediate", action, "--service", service]).status == 0)
        #expect(fixture.spy.text.contains("service=[\(service)]"))
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    @Test func secretsAreAbsentFromEveryOutputTheAuditAndTheDatabaseBytes() async throws {
        let secret = RemediationFixture.secret
        let fixture = try RemediationFixture()
        defer { fixture.remove() }
        // Two more actions: one echoing the secret and failing, one HTTP with a bearer header.
        try fixture.spy.writeConfiguration(actions: """
                  leaky:
                    type: clear-cache
                    shell: 'echo "token is $TOKEN"; echo "err $TOKEN" >&2; exit 1'
                    secret-environment: {TOKEN: '${SECRET_TOKEN}'}
                  api:
                    type: scale-up
                    http:
                      url: 'http://127.0.0.1:1/scale/{service}'
                      headers: {Authorization: 'Bearer ${SECRET_TOKEN}'}
                      retries: 0
            """)
        var outputs: [String] = []
        for arguments in [["remediate", "restart", "--service", "a"], ["remediate", "leaky", "--service", "b"],
                          ["remediate", "leaky", "--service", "c", "--json"], ["remediate", "api", "--service", "d", "--json"],
                          ["remediate", "api", "--service", "e", "--dry-run"], ["remediate", "restart", "--service", "f", "--dry-run", "--json"],
                          ["queue", "--all", "--json"], ["audit", "--json"], ["audit"]] {
            let result = await fixture.run(arguments)
            outputs += [result.stdout, result.stderr]
        }
        let all = outputs.joined(separator: "\n")
        #expect(all.contains("token is ***"))
        #expect(all.contains("Authorization: Bearer ***"))
        #expect(fixture.spy.text.contains("token=[\(secret)]"), "the child does get the secret")
        var bytes = [UInt8]()
        for suffix in ["", "-wal"] {
            if let data = FileManager.default.contents(atPath: fixture.cli.databasePath + suffix) { bytes += data }
        }
        #expect(bytes.count > 0)
        let forms = [secret, Data(secret.utf8).base64EncodedString(),
                     secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? secret]
        for form in forms {
            #expect(!all.contains(form), "\(form) leaked to the output")
            #expect(!Self.contains(bytes, Array(form.utf8)), "\(form) leaked to the database file")
        }
    }

    /// Issue 9 case 20: the secret reaches the child only through its environment, never its argv
    /// (`/proc/<pid>/cmdline` is readable by every user on the host).
    @Test func secretsNeverAppearOnTheChildsCommandLine() async throws {
        let secret = RemediationFixture.secret
        let fixture = try RemediationFixture()
        defer { fixture.remove() }
        let record = fixture.cli.directory.file("cmdline.txt")
        try fixture.spy.writeConfiguration(actions: """
                  peek:
                    type: clear-cache
                    command: [/bin/sh, -c, 'tr "\\0" " " < /proc/$$/cmdline >> "$OUT"; echo >> "$OUT"; test -n "$TOKEN" && echo has-token >> "$OUT"', '{service}']
                    environment: {OUT: '\(record)'}
                    secret-environment: {TOKEN: '${SECRET_TOKEN}'}
            """)
        let result = await fixture.run(["remediate", "peek", "--service", "a"])
        #expect(result.status == 0, "\(result.stderr)")
        let seen = try String(contentsOfFile: record, encoding: .utf8)
        #expect(seen.contains("/bin/sh -c"))
        #expect(seen.contains("has-token"), "the child did get the secret in its environment")
        #expect(!seen.contains(secret))
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if Array(haystack[start..<(start + needle.count)]) == needle { return true }
        }
        return false
    }
}
