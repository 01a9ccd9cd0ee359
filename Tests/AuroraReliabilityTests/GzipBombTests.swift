import AuroraTestSupport
import Foundation
import Testing

/// Issue 18, item 3: JSON documents from gzip or standard input were read whole (an 18 MB `.gz`
/// inflating to 4 GB of Prometheus JSON reached 4.2 GB resident), and the inflater allowed 64 GiB.
/// Now every JSON format is parsed as a stream from every source, and gzip input may inflate at most
/// 100 times its compressed size (past its first 16 MiB) and 16 GiB in all, else exit 65.
@Suite(.serialized) struct GzipBombTests {
    /// A real bomb, generated here: a Prometheus API response whose `values` array is one 16 MiB gzip
    /// member of identical pairs repeated 256 times (concatenated members are one gzip stream), about
    /// 4 GiB inflated from a few megabytes. aurora runs with its address space capped at 3 GiB, so
    /// reading the document whole cannot pass; it is refused at the ratio, with exit 65.
    @Test func aGzipBombIsRefusedByItsRatioWithinBoundedMemory() throws {
        let folder = try TemporaryDirectory("aurora-rel-bomb")
        defer { folder.remove() }
        let bomb = folder.file("bomb.json.gz")
        let pairs = folder.file("pairs.gz")
        let script = """
            set -e
            printf '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"bomb"},"values":[[1700000000,"1"]' | gzip -c > \(bomb.shellQuoted)
            awk 'BEGIN { s = ",[1700000000,\\"1\\"]"; for (i = 0; i < 1048576; i++) printf "%s", s }' | gzip -9 -c > \(pairs.shellQuoted)
            i=0; while [ $i -lt 256 ]; do cat \(pairs.shellQuoted); i=$((i+1)); done >> \(bomb.shellQuoted)
            printf ']}]}}' | gzip -c >> \(bomb.shellQuoted)
            """
        let generated = try AuroraProcess.shell(script, in: folder)
        #expect(generated.status == 0, "\(generated.stderr)")
        let compressed = (try FileManager.default.attributesOfItem(atPath: bomb)[.size] as? Int) ?? 0
        #expect(compressed < 32 << 20, "the bomb is \(compressed) bytes")
        let result = try AuroraProcess.shell(
            "ulimit -v 3145728; exec \"$AURORA\" --db \(folder.file("aurora.db").shellQuoted) ingest \(bomb.shellQuoted)", in: folder)
        #expect(result.status == 65, "\(result.status): \(result.stderr.prefix(400))")
        #expect(result.stderr.contains("\(bomb):1:1: gzip data inflates more than 100 times its compressed size"), "\(result.stderr.prefix(400))")
        // The same bomb through standard input is refused the same way.
        let piped = try AuroraProcess.shell(
            "ulimit -v 3145728; exec \"$AURORA\" --db \(folder.file("aurora.db").shellQuoted) ingest - < \(bomb.shellQuoted)", in: folder)
        #expect(piped.status == 65, "\(piped.status): \(piped.stderr.prefix(400))")
        #expect(piped.stderr.contains("<stdin>:1:1: gzip data inflates more than 100 times"), "\(piped.stderr.prefix(400))")
    }

    /// A large Prometheus document (about 190 MiB, 20 000 series) of which `--match` keeps one series:
    /// from a gzip file, from a plain pipe and from a gzip pipe, peak memory stays far below the
    /// document's size (before, the whole document was held: over 190 MiB).
    @Test func largeJSONDocumentsStreamFromGzipAndPipes() throws {
        let folder = try TemporaryDirectory("aurora-rel-json-stream")
        defer { folder.remove() }
        let document = folder.file("big.json")
        let generate = try AuroraProcess.shell("""
            awk 'BEGIN { printf "{\\"status\\":\\"success\\",\\"data\\":{\\"resultType\\":\\"matrix\\",\\"result\\":["
              for (s = 0; s < 20000; s++) {
                printf "%s{\\"metric\\":{\\"__name__\\":\\"cpu\\",\\"series\\":\\"s%d\\"},\\"values\\":[", (s ? "," : ""), s
                for (i = 0; i < 600; i++) printf "%s[%d,\\"%d\\"]", (i ? "," : ""), 1700000000 + i * 60, (i * 7919 + s) % 1000
                printf "]}"
              }
              printf "]}}\\n" }' > \(document.shellQuoted) && gzip -1 -k \(document.shellQuoted)
            """, in: folder)
        #expect(generate.status == 0, "\(generate.stderr)")
        let size = (try FileManager.default.attributesOfItem(atPath: document)[.size] as? Int) ?? 0
        #expect(size > 180 << 20, "the document is only \(size >> 20) MiB")
        let bound = 128 << 20
        let runs = [
            ("gzip file", "\"$AURORA\" --db \(folder.file("a.db").shellQuoted) ingest --json --match 'cpu{series=\"s7\"}' \(document.shellQuoted).gz"),
            ("plain pipe", "cat \(document.shellQuoted) | \"$AURORA\" --db \(folder.file("b.db").shellQuoted) ingest --json --match 'cpu{series=\"s7\"}' -"),
            ("gzip pipe", "cat \(document.shellQuoted).gz | \"$AURORA\" --db \(folder.file("c.db").shellQuoted) ingest --json --match 'cpu{series=\"s7\"}' -"),
        ]
        for (label, command) in runs {
            let result = try AuroraProcess.shell(command, in: folder)
            #expect(result.status == 0, "\(label): \(result.stderr.prefix(400))")
            let object = try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            let peak = try #require(object?["peak_memory_bytes"] as? Int, "\(label): \(result.stdout.prefix(400))")
            #expect(peak < bound, "\(label): peak \(peak >> 20) MiB for a \(size >> 20) MiB document")
            #expect(object?["points"] as? Int == 600, "\(label): \(result.stdout.prefix(400))")
            print("json streaming, \(label): peak \(peak >> 20) MiB for a \(size >> 20) MiB document")
        }
    }
}
