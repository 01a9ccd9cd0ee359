import AuroraCore
import Foundation
import Testing
@testable import AuroraIngest

/// Every bad input gives one exact, located message (and never a crash or a hang).
@Suite struct BadInputTests {
    @Test(arguments: [
        // (name, content, message)
        ("empty.csv", "", "empty.csv:1:1: empty input (expected metric data)"),
        ("blank.csv", "\n  \n", "blank.csv:1:1: empty input (expected metric data)"),
        ("header.csv", "timestamp,value\n", "header.csv:2:1: header but no data rows (expected at least one row after the header)"),
        ("bad-ts.csv", "timestamp,value\n2024-03-01 00:00:00,1\nyesterday,2\n",
         "bad-ts.csv:3:1: invalid timestamp \"yesterday\" (expected ISO 8601, 'YYYY-MM-DD HH:MM:SS' or Unix seconds/milliseconds/microseconds/nanoseconds)"),
        ("bad-value.csv", "timestamp,value\n2024-03-01 00:00:00,1.2.3\n",
         "bad-value.csv:2:21: invalid value \"1.2.3\" (expected a number)"),
        ("not-missing.csv", "timestamp,value\n2024-03-01 00:00:00,nil\n",
         "not-missing.csv:2:21: invalid value \"nil\" (expected a number)"),
        ("ragged.csv", "timestamp,value\n2024-03-01 00:00:00,1,7\n",
         "ragged.csv:2:23: row has 3 fields (expected 2 as in the header on line 1)"),
        ("short.csv", "timestamp,metric,value\n2024-03-01 00:00:00,cpu\n",
         "short.csv:2:24: row has 2 fields (expected 3 as in the header on line 1)"),
        ("dup.csv", "timestamp,cpu,mem,cpu\n1709251200,1,2,3\n",
         "dup.csv:1:19: duplicate column name \"cpu\" (expected unique column names; it is also column 2)"),
        ("nots.csv", "when,value\n1,2\n",
         "nots.csv:1:1: no timestamp column in the header (expected a column named timestamp, time, ts, date or datetime)"),
        ("quote.csv", "timestamp,value\n\"2024-03-01 00:00:00,1\n",
         "quote.csv:2:1: unterminated quoted field (expected a closing \")"),
        ("wide.csv", "timestamp,\"cpu{service=\"\"a\"\"}\"\n1709251200,x\n",
         "wide.csv:2:12: invalid value \"x\" (expected a number)"),
        ("badhead.csv", "timestamp,\"cpu{service=a}\"\n1709251200,1\n",
         "badhead.csv:1:24: column \"cpu{service=a}\": unexpected 'a' (expected a quoted label value)"),
        ("truncated.json", "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"__name__\":\"up\"},\n\"values\":[[1435781430.781,\"1\"],[1435781445",
         "truncated.json:2:43: truncated JSON: unexpected end of input (expected ',' between timestamp and value)"),
        ("cut.json", "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"__name__\":\"u",
         "cut.json:1:85: truncated JSON: unexpected end of input inside a string (expected a closing \")"),
        ("error.json", "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter \\\"query\\\"\"}",
         "error.json:1:1: the Prometheus API answered with an error: bad_data: invalid parameter \"query\" (expected a successful query response)"),
        ("scalar.json", "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1435781451.781,\"1\"]}}",
         "scalar.json:1:42: result type \"scalar\" holds no series (expected \"matrix\" from query_range or \"vector\" from query)"),
        ("lines.jsonl", "{\"ts\":1709251200,\"metric\":\"cpu\",\"value\":1}\n{\"ts\":1709251260,\"metric\":\"cpu\",\"value\":1",
         "lines.jsonl:2:42: truncated JSON: unexpected end of input (expected ',' or '}')"),
        ("nots.jsonl", "{\"metric\":\"cpu\",\"value\":1}\n",
         "nots.jsonl:1:1: object has no \"ts\" (expected {\"ts\":…,\"metric\":…,\"value\":…})"),
        ("cw.json", "{\"MetricDataResults\":[{\"Id\":\"m1\",\"Label\":\"cpu\",\"Timestamps\":[\"2024-03-01T00:00:00Z\"],\"Values\":[]}]}",
         "cw.json:1:23: result \"m1\" has 1 timestamps and 0 values (expected one value per timestamp)"),
        ("notime.prom", "# TYPE up gauge\nup{job=\"a\"} 1\n",
         "notime.prom:2:14: sample has no timestamp (expected name{labels} value timestamp, or a default timestamp for the scrape)"),
        ("labels.prom", "up{job=\"a} 1 1709251200000\n",
         "labels.prom:1:3: unterminated label value (expected a closing \")"),
        ("value.prom", "up{job=\"a\"} one 1709251200000\n",
         "value.prom:1:13: invalid value \"one\" (expected a number, NaN, +Inf or -Inf)"),
        ("field.lp", "cpu,host=a usage=high 1709251200000000000\n",
         "field.lp:1:18: invalid field value \"high\" (expected a number, 12i, 12u, true/false or \"string\")"),
        ("array.json", "[1,2,3]",
         "array.json:1:1: JSON array at the top level (expected a Prometheus API response, CloudWatch output or one JSON object per line)"),
    ])
    func locatedMessage(name: String, content: String, message: String) {
        #expect(failure(content, name: name) == message)
    }

    @Test func nulBytesAreBinary() {
        let bytes: [UInt8] = Array("timestamp,value\n2024-03-01 00:00:00,1\n".utf8) + [0x00, 0x01, 0x02, 0x0A]
        #expect(failure(bytes: bytes, name: "bin.csv") == "bin.csv:3:1: binary data: NUL byte (expected text metrics)")
    }

    @Test func garbageIsRefused() {
        var generator = Xoshiro256(seed: 7)
        let garbage = (0..<4096).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let message = failure(bytes: garbage, name: "garbage.bin")
        #expect(message.hasPrefix("garbage.bin:"))
        #expect(message.contains("binary data") || message.contains("invalid UTF-8"))
    }

    @Test func invalidUTF8() {
        let bytes: [UInt8] = Array("timestamp,metric,value\n1709251200,cp".utf8) + [0xFF] + Array("u,1\n".utf8)
        #expect(failure(bytes: bytes, name: "latin.csv")
                == "latin.csv:2:14: invalid UTF-8 byte 0xFF (expected UTF-8 text; binary data?)")
    }

    @Test func bomAndCRLFAreAccepted() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("timestamp,value\r\n2024-03-01 00:00:00,1\r\n2024-03-01 00:05:00,2\r\n".utf8)
        let result = try ingestBytes(bytes, name: "excel.csv")
        #expect(result.series.first?.values == [1, 2])
        #expect(result.series.first?.key == key("excel"))
    }

    @Test func megabyteLineIsOneClearError() {
        let long = String(repeating: "9", count: 1 << 20)
        let text = "timestamp,value\n2024-03-01 00:00:00,\(long)x\n"
        #expect(failure(text, name: "long.csv").hasPrefix("long.csv:2:21: invalid value \"9999"))
        #expect(failure(text, name: "long.csv").hasSuffix("…\" (expected a number)"))
    }

    @Test func lineLongerThanTheLimitFromAFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("aurora-ingest-long-\(UInt64.random(in: 0...UInt64.max)).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let content = "timestamp,value\n" + String(repeating: "1", count: 5 << 20)
        try Data(content.utf8).write(to: URL(fileURLWithPath: path))
        do {
            _ = try ingest([.path(path)], options: IngestOptions(maxLineBytes: 4 << 20))
            Issue.record("expected an error")
        } catch let error as LocatedError {
            #expect(error.description == "\(path):2:1: line is longer than 4 MiB (expected lines separated by newlines)")
        }
    }

    @Test func skipBadLinesCountsAndReports() throws {
        let text = "timestamp,value\n2024-03-01 00:00:00,1\noops,2\n2024-03-01 00:10:00,x\n2024-03-01 00:15:00,4\n"
        let result = try ingestText(text, name: "s.csv", options: IngestOptions(skipBadLines: true))
        #expect(result.series.first?.values == [1, 4])
        let input = try #require(result.report.inputs.first)
        #expect(input.badLines == 2)
        #expect(input.badLineErrors.map(\.description) == [
            "s.csv:3:1: invalid timestamp \"oops\" (expected ISO 8601, 'YYYY-MM-DD HH:MM:SS' or Unix seconds/milliseconds/microseconds/nanoseconds)",
            "s.csv:4:21: invalid value \"x\" (expected a number)",
        ])
    }

    @Test func skipBadLinesDoesNotSkipABrokenHeader() {
        let options = IngestOptions(skipBadLines: true)
        #expect(failure("timestamp,a,a\n1,2,3\n", name: "d.csv", options: options)
                == "d.csv:1:13: duplicate column name \"a\" (expected unique column names; it is also column 2)")
    }

    @Test func missingPathAndEmptyDirectory() throws {
        #expect(throws: IngestError.missingInput(path: "/nonexistent/x.csv")) { try ingest([.path("/nonexistent/x.csv")]) }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("aurora-ingest-empty-\(UInt64.random(in: 0...UInt64.max))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(throws: IngestError.emptyDirectory(path: directory)) { try ingest([.path(directory)]) }
        #expect(IngestError.missingInput(path: "x").kind == .noInput)
    }
}
