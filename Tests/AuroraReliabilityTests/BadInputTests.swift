import AuroraCLITestSupport
import AuroraCore
import AuroraIngest
import AuroraStore
import Foundation
import Testing

/// Hostile and broken metric files through `aurora ingest` (in-process, the real command path):
/// refused with `file:line:column: message` and exit 65 while the database stays exactly as it was,
/// or accepted by a documented rule (issue 9, cases 16, 17 and 18).
@Suite(.serialized) struct BadInputTests {
    /// A malformed input: its file name, its bytes, and a word the message must contain.
    struct Malformed: Sendable, CustomStringConvertible {
        let name: String
        let bytes: [UInt8]
        let expected: String
        var description: String { name }

        init(_ name: String, _ text: String, _ expected: String) {
            self.init(name, Array(text.utf8), expected)
        }

        init(_ name: String, _ bytes: [UInt8], _ expected: String) {
            self.name = name
            self.bytes = bytes
            self.expected = expected
        }
    }

    static let malformed: [Malformed] = [
        Malformed("empty.csv", "", "empty input"),
        Malformed("header-only.csv", "timestamp,value\n", "no data rows"),
        Malformed("no-time.csv", "when,value\n1700000000,2\n", "no timestamp column"),
        Malformed("duplicate-column.csv", "timestamp,cpu,mem,cpu\n1700000000,1,2,3\n", "duplicate column"),
        Malformed("ragged.csv", "timestamp,value\n1700000000,1\n1700000060,1,7\n", "fields"),
        Malformed("non-numeric.csv", "timestamp,value\n1700000000,1\n1700000060,fast\n", "invalid value"),
        Malformed("invalid-utf8.csv", Array("timestamp,metric,value\n1700000000,cp".utf8) + [0xFF] + Array("u,1\n".utf8), "UTF-8"),
        Malformed("nul.csv", Array("timestamp,value\n1700000000,1\n".utf8) + [0x00] + Array("1700000060,2\n".utf8), "NUL"),
        Malformed("megabyte-line.csv", "timestamp,value\n1700000000," + String(repeating: "9", count: 1 << 20) + "x\n", "invalid value"),
        Malformed("megabyte-time.csv", "timestamp,value\n" + String(repeating: "a", count: 1 << 20) + ",1\n", "invalid timestamp"),
        // gzip without a .gz extension: recognised by its magic bytes, not by its name.
        Malformed("compressed.csv", [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x01, 0x02], "gzip"),
        Malformed("bad-json.jsonl", "{\"ts\":1700000000,\"metric\":\"cpu\",\"value\":1}\n{\"ts\":1700000060,\"metric\":\"cpu\",\"value\":\n", "JSON"),
        Malformed("bad-exposition.prom", "up{job=\"a\"} one 1700000000000\n", "invalid value"),
    ]

    /// Case 16, refusals: each malformed file gives `aurora: FILE:LINE:COLUMN: message`, exit 65,
    /// and not one row changes anywhere in the database (row counts and a checksum of every row).
    @Test(arguments: Self.malformed)
    func case16_malformedFileIsRefused(_ input: Malformed) async throws {
        let harness = try CLIHarness()
        defer { harness.remove() }
        try await seed(harness)
        let before = try DatabaseContent.read(harness.databasePath)
        let path = harness.directory.file(input.name)
        try Data(input.bytes).write(to: URL(fileURLWithPath: path))
        let result = await harness.run(["ingest", path])
        #expect(result.status == 65, "\(input.name): \(result.stderr)")
        let location = Self.location(in: result.stderr, file: path)
        #expect(location != nil, "\(input.name): no file:line:column in \(result.stderr.prefix(300))")
        #expect(result.stderr.contains(input.expected), "\(input.name): \(result.stderr.prefix(300))")
        #expect(try DatabaseContent.read(harness.databasePath) == before, "\(input.name): rows were written")
    }

    /// Case 16, the inputs the documented rules accept (README "Metric formats"): NaN/±Inf and
    /// missing samples (an empty cell, `NA`) are skipped and counted; repeated timestamps keep the last value (with a warning); decreasing
    /// ones are sorted; seconds and milliseconds are told apart by magnitude; a BOM and CRLF line
    /// ends are read as plain CSV. Each stores exactly the points the rule says.
    @Test func case16_documentedAcceptance() async throws {
        let harness = try CLIHarness()
        defer { harness.remove() }
        try await seed(harness)
        let cases: [(name: String, bytes: [UInt8], values: [Double], note: String?)] = [
            ("nonfinite.csv", Array("timestamp,value\n1700000000,NaN\n1700000060,5\n1700000120,+Inf\n1700000180,-Inf\n".utf8), [5], "skipped 3 missing or NaN/Inf"),
            ("missing.csv", Array("timestamp,value\n1700000000,\n1700000060,5\n1700000120,NA\n".utf8), [5], "skipped 2 missing or NaN/Inf"),
            ("repeated.csv", Array("timestamp,value\n1700000000,1\n1700000060,2\n1700000060,3\n".utf8), [1, 3], "duplicate timestamp"),
            ("decreasing.csv", Array("timestamp,value\n1700000120,3\n1700000060,2\n1700000000,1\n".utf8), [1, 2, 3], nil),
            ("mixed_units.csv", Array("timestamp,value\n1700000000,1\n1700000060000,2\n1700000120,3\n".utf8), [1, 2, 3], nil),
            ("bom.csv", [0xEF, 0xBB, 0xBF] + Array("timestamp,value\n1700000000,1\n1700000060,2\n".utf8), [1, 2], nil),
            ("crlf.csv", Array("timestamp,value\r\n1700000000,1\r\n1700000060,2\r\n".utf8), [1, 2], nil),
        ]
        for item in cases {
            let path = harness.directory.file(item.name)
            try Data(item.bytes).write(to: URL(fileURLWithPath: path))
            let result = await harness.run(["ingest", path])
            #expect(result.status == 0, "\(item.name): \(result.stderr)")
            if let note = item.note { #expect(result.stderr.contains(note), "\(item.name): \(result.stderr)") }
            let stem = (item.name as NSString).deletingPathExtension
            let shown = await harness.run(["series", "show", stem])
            let values = shown.stdout.split(separator: "\n").dropFirst().compactMap { $0.split(separator: ",").last.flatMap { Double($0) } }
            #expect(values == item.values, "\(item.name): \(shown.stdout) \(shown.stderr)")
            let times = shown.stdout.split(separator: "\n").dropFirst().map { String($0.prefix(20)) }
            #expect(times == times.sorted() && Set(times).count == times.count, "\(item.name): times \(times)")
        }
    }

    /// Case 17: one invocation with several files where one is bad (first, middle, last, inside a
    /// directory, next to stdin): all or nothing per invocation, and the error names the bad file.
    @Test func case17_multiFileAllOrNothing() async throws {
        let harness = try CLIHarness()
        defer { harness.remove() }
        try await seed(harness)
        let folder = harness.directory
        let good = try (0..<3).map { try folder.write("good\($0).csv", Dumps.nab(points: 100, seed: UInt64($0))) }
        let bad = try folder.write("bad.csv", "timestamp,value\n1700000000,1\n1700000060,1,2\n")
        try FileManager.default.createDirectory(atPath: folder.file("dir"), withIntermediateDirectories: true)
        try folder.write("dir/a.csv", Dumps.nab(points: 50))
        let nestedBad = try folder.write("dir/z-bad.csv", "timestamp,value\n1700000000,x\n")
        let before = try DatabaseContent.read(harness.databasePath)

        let invocations: [([String], String)] = [
            ([bad] + good, bad), ([good[0], bad, good[1], good[2]], bad), (good + [bad], bad),
            ([good[0], folder.file("dir")], nestedBad), (good + ["-", bad], bad),
        ]
        for (files, named) in invocations {
            let result = await harness.run(["ingest"] + files, stdin: Array(Dumps.nab(points: 10).utf8))
            #expect(result.status == 65, "\(files): \(result.stderr)")
            #expect(Self.location(in: result.stderr, file: named) != nil, "\(files): \(result.stderr)")
            #expect(try DatabaseContent.read(harness.databasePath) == before, "\(files): something was stored")
        }
        // Without the bad file, everything is stored in one go.
        let result = await harness.run(["ingest"] + good)
        #expect(result.status == 0)
        #expect(try DatabaseContent.scalar(harness.databasePath, "SELECT count(*) FROM series WHERE name LIKE 'good%'") == 3)
    }

    /// Case 18: 10 000 inputs mutated from valid dumps of every format (fixed seed) go through the
    /// ingest API. Each either succeeds or throws an aurora failure; a located one names the input
    /// and a line and column ≥ 1. No crash, no hang (each input is timed against a generous bound),
    /// and memory stays bounded.
    @Test func case18_ingestFuzzing() throws {
        let count = max(10_000, Iterations.count(ci: 10_000))
        var generator = Xoshiro256(seed: 18)
        let seeds = Self.validDumps
        for (name, bytes) in seeds {
            #expect(throws: Never.self, "\(name) must be valid before mutation") { _ = try ingest([.bytes(name: name, bytes)]) }
        }
        let memoryBefore = Self.peakResidentMiB()
        var outcomes = (succeeded: 0, located: 0, other: 0)
        var slowest = 0.0
        var problems: [String] = []
        for index in 0..<count {
            let (seedName, seedBytes) = seeds[Int(generator.next() % UInt64(seeds.count))]
            let other = seeds[Int(generator.next() % UInt64(seeds.count))].1
            let bytes = Self.mutate(seedBytes, splice: other, generator: &generator)
            let name = "fuzz\(index)-\(seedName)"
            let started = DispatchTime.now().uptimeNanoseconds
            do {
                _ = try ingest([.bytes(name: name, bytes)])
                outcomes.succeeded += 1
            } catch let error as LocatedError {
                outcomes.located += 1
                if error.location.file != name || error.location.line < 1 || error.location.column < 1 || error.message.isEmpty {
                    problems.append("\(name): badly located: \(error.description.prefix(200))")
                }
            } catch let error as any AuroraFailure {
                outcomes.other += 1
                if error.kind == .software { problems.append("\(name): internal error \(error.description.prefix(200))") }
            } catch {
                problems.append("\(name): not an aurora failure: \(error)")
            }
            slowest = max(slowest, Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
        }
        #expect(problems.isEmpty, "\(problems.prefix(10))")
        #expect(outcomes.succeeded + outcomes.located + outcomes.other == count)
        // Both paths were exercised: the mutations are neither all harmless nor all fatal.
        #expect(outcomes.succeeded > count / 20 && outcomes.located > count / 20, "\(outcomes)")
        // A hang detector, not a speed test: a small input never takes seconds.
        #expect(slowest < 10, "an input took \(slowest) s")
        #expect(Self.peakResidentMiB() - memoryBefore < 512, "memory grew by \(Self.peakResidentMiB() - memoryBefore) MiB")
    }

    // MARK: - Helpers

    /// Some content to protect: one series and one kill switch.
    private func seed(_ harness: CLIHarness) async throws {
        let dump = try harness.directory.write("seed.csv", Dumps.nab(points: 20))
        #expect(await harness.run(["ingest", dump]).status == 0)
        #expect(await harness.run(["killswitch", "on", "--service", "seeded"]).status == 0)
    }

    /// The `line:column` of `aurora: FILE:LINE:COLUMN: message` on any stderr line, or nil.
    static func location(in stderr: String, file: String) -> (line: Int, column: Int)? {
        for line in stderr.split(separator: "\n") {
            guard line.hasPrefix("aurora: \(file):") else { continue }
            let rest = line.dropFirst("aurora: \(file):".count).split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard rest.count == 3, let number = Int(rest[0]), let column = Int(rest[1]), number >= 1, column >= 1,
                  rest[2].hasPrefix(" "), rest[2].count > 1 else { continue }
            return (number, column)
        }
        return nil
    }

    /// Small valid dumps in every format the sniffer knows.
    static let validDumps: [(String, [UInt8])] = [
        ("nab.csv", "timestamp,value\n2024-03-01 00:00:00,1.5\n2024-03-01 00:05:00,2\n2024-03-01 00:10:00,2.5\n"),
        ("long.csv", "timestamp,metric,service,value\n1709251200,cpu,a,1\n1709251260,cpu,a,2\n1709251200,cpu,b,3\n"),
        ("wide.csv", "time,\"cpu{service=\"\"checkout\"\"}\",memory_bytes\n2024-03-01T00:00:00Z,0.5,1024\n2024-03-01T00:01:00Z,0.7,2048\n"),
        ("dump.jsonl", "{\"ts\":\"2024-03-01T00:00:00Z\",\"metric\":\"lat\",\"labels\":{\"service\":\"a\"},\"value\":0.4}\n{\"ts\":1709251260,\"metric\":\"lat\",\"labels\":{\"service\":\"a\"},\"value\":\"0.3\"}\n"),
        ("range.json", "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"__name__\":\"up\",\"job\":\"p\"},\"values\":[[1435781430.781,\"1\"],[1435781445.781,\"0\"]]}]}}"),
        ("scrape.prom", "# TYPE http_requests_total counter\nhttp_requests_total{method=\"post\",code=\"200\"} 1027 1395066363000\nhttp_requests_total{method=\"post\",code=\"200\"} 1087 1395066423000\n"),
        ("home.lp", "home,room=Kitchen temp=21.0,hum=35.9,co=0i 1641024000000000000\nhome,room=Kitchen temp=23.0,hum=36.2,co=1u 1641027600000000000\n"),
        ("cw.json", "{\"MetricDataResults\":[{\"Id\":\"m1\",\"Label\":\"CPU\",\"Timestamps\":[\"2024-03-01T00:05:00+00:00\",\"2024-03-01T00:00:00+00:00\"],\"Values\":[12.5,9.0],\"StatusCode\":\"Complete\"}]}"),
    ].map { ($0.0, Array($0.1.utf8)) }

    static let tokens: [[UInt8]] = [
        "NaN", "+Inf", "-Inf", "1e309", "-0", "99999999999999999999", "\"", "\n", "\r\n", ",,", "{}", "[]", "null",
        "true", "\u{FEFF}", "9223372036854775808", "-9223372036854775809", "0x10", "1_000", "\\", "}", "{", "=", ":",
        "# TYPE x counter\n", "\"\"", "[[", "]]", "2024-02-30T25:61:61Z", String(repeating: "9", count: 400),
    ].map { Array($0.utf8) } + [[0x00], [0xFF], [0xC3], [0xEF, 0xBB, 0xBF], [0x1F, 0x8B], [0xE2, 0x82]]

    /// One to four mutations: bit flips, byte and token insertions, deletions, duplications,
    /// truncation, splicing with another dump, swapping lines.
    static func mutate(_ original: [UInt8], splice other: [UInt8], generator: inout Xoshiro256) -> [UInt8] {
        var bytes = original
        func position(_ count: Int) -> Int { count == 0 ? 0 : Int(generator.next() % UInt64(count + 1)) }
        for _ in 0..<(1 + Int(generator.next() % 4)) {
            switch generator.next() % 8 {
            case 0 where !bytes.isEmpty:
                let index = position(bytes.count - 1)
                bytes[index] ^= UInt8(1) << UInt8(generator.next() % 8)
            case 1:
                let token = tokens[Int(generator.next() % UInt64(tokens.count))]
                bytes.insert(contentsOf: token, at: position(bytes.count))
            case 2 where !bytes.isEmpty:
                let start = position(bytes.count - 1)
                let end = min(bytes.count, start + 1 + Int(generator.next() % 16))
                bytes.removeSubrange(start..<end)
            case 3 where !bytes.isEmpty:
                let start = position(bytes.count - 1)
                let end = min(bytes.count, start + 1 + Int(generator.next() % 64))
                bytes.insert(contentsOf: bytes[start..<end], at: position(bytes.count))
            case 4:
                bytes.removeSubrange(position(bytes.count)..<bytes.count)
            case 5:
                let cut = position(bytes.count)
                let from = position(other.count)
                bytes = Array(bytes[..<cut]) + Array(other[from...])
            case 6:
                var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
                if lines.count > 2 {
                    let first = Int(generator.next() % UInt64(lines.count))
                    let second = Int(generator.next() % UInt64(lines.count))
                    lines.swapAt(first, second)
                    bytes = Array(lines.joined(separator: [0x0A]))
                }
            default:
                if !bytes.isEmpty {
                    let index = position(bytes.count - 1)
                    let token = tokens[Int(generator.next() % UInt64(tokens.count))]
                    bytes.replaceSubrange(index..<min(bytes.count, index + token.count), with: token)
                }
            }
        }
        return bytes
    }

    /// The process's peak resident set (Linux reports KiB).
    static func peakResidentMiB() -> Int {
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss / 1024
        #else
        getrusage(RUSAGE_SELF, &usage)
        return usage.ru_maxrss / 1_048_576
        #endif
    }
}
