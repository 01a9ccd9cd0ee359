import AuroraLiveLab
import AuroraTestSupport
import Foundation
import Testing

/// `aurora ingest --prometheus` from the built binary against a scripted server: a failure after the
/// first round keeps that round, exits with the failure's status and says where to start again.
@Suite(.serialized) struct IngestPrometheusRoundsTests {
    static let json = ["Content-Type": "application/json"]
    /// 2026-01-01T00:00:00Z.
    static let since = 1_767_225_600

    static func configuration(_ url: String) -> String {
        """
        aurora:
          sources:
            prometheus:
              url: \(url)
              timeout: 3s
              step: 1s
              queries:
                - query: m
        """
    }

    @Test func aRefusalAfterTheFirstRoundKeepsItAndNamesThePartThatFailed() async throws {
        let server = try await ScriptedServer()
        defer { Task { await server.stop() } }
        let folder = try TemporaryDirectory("aurora-ingest-rounds")
        defer { folder.remove() }
        try folder.write("aurora.yaml", Self.configuration(server.url))
        // Round 1 is sized for 10,000 unknown series (75 steps); it holds two series. Round 2 is refused.
        let values = #"[[\#(Self.since),"1"],[\#(Self.since + 1),"2"]]"#
        server.enqueue("/api/v1/query_range",
                       .init(status: 200, body: #"{"status":"success","data":{"resultType":"matrix","result":["#
                                 + #"{"metric":{"__name__":"m","id":"a"},"values":\#(values)},"#
                                 + #"{"metric":{"__name__":"m","id":"b"},"values":\#(values)}]}}"#, headers: Self.json),
                       .init(status: 400, body: #"{"status":"error","errorType":"bad_data","error":"too many samples"}"#, headers: Self.json))
        let ingest = try aurora(["ingest", "--prometheus", "--since", String(Self.since), "--until", String(Self.since + 600)], in: folder)
        #expect(ingest.status == 78, "\(ingest.stderr)")
        #expect(ingest.stderr.contains("stored sub-window 1 of ~2: 2026-01-01T00:00:00Z to 2026-01-01T00:01:14Z, 4 points"), "\(ingest.stderr)")
        #expect(ingest.stderr.contains("failed reading 2026-01-01T00:01:15Z to 2026-01-01T00:10:00Z; the 1 sub-window(s) read before it are stored: "
                                       + "run again with --since 2026-01-01T00:01:15Z to finish"), "\(ingest.stderr)")
        let asked = server.requests.filter { $0.path == "/api/v1/query_range" }
        #expect(asked.count == 2)
        let list = try aurora(["series", "list", "--json"], in: folder)
        #expect(list.stdout.contains(#"m{id=\"a\"}"#) && list.stdout.contains(#"m{id=\"b\"}"#), "\(list.stdout)")
        let audit = try aurora(["audit"], in: folder)
        #expect(audit.stdout.contains("sub-window 1"), "\(audit.stdout)")
    }

    @Test func aRefusedFirstRoundStoresNothing() async throws {
        let server = try await ScriptedServer()
        defer { Task { await server.stop() } }
        let folder = try TemporaryDirectory("aurora-ingest-rounds")
        defer { folder.remove() }
        try folder.write("aurora.yaml", Self.configuration(server.url))
        server.enqueue("/api/v1/query_range",
                       .init(status: 400, body: #"{"status":"error","errorType":"bad_data","error":"parse error"}"#, headers: Self.json))
        let ingest = try aurora(["ingest", "--prometheus", "--since", String(Self.since), "--until", String(Self.since + 600)], in: folder)
        #expect(ingest.status == 78, "\(ingest.stderr)")
        #expect(ingest.stderr.contains("(nothing stored)"), "\(ingest.stderr)")
        #expect(!ingest.stderr.contains("stored sub-window"))
    }
}
