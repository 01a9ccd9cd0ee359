import AuroraCore
import Foundation
import Testing
@testable import AuroraIngest

/// gzip input is inflated on the fly through the system zlib (the CZlib target).
@Suite struct GzipTests {
    /// `timestamp,value` with two rows, compressed by gzip.
    static let member: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0xFF, 0x2B, 0xC9, 0xCC, 0x4D, 0x2D, 0x2E, 0x49, 0xCC, 0x2D, 0xD0, 0x29, 0x4B, 0xCC, 0x29, 0x4D, 0xE5, 0x32, 0x32, 0x30, 0x32, 0xD1, 0x35, 0x30, 0xD6, 0x35, 0x30, 0x54, 0x30, 0x30, 0xB0, 0x02, 0x23, 0x1D, 0x43, 0x74, 0x51, 0x53, 0x90, 0xA8, 0x11, 0x17, 0x00, 0x35, 0x95, 0x97, 0x80, 0x3C, 0x00, 0x00, 0x00]
    /// A second gzip member with one more row (as `cat a.gz b.gz` makes).
    static let secondMember: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0xFF, 0x33, 0x32, 0x30, 0x32, 0xD1, 0x35, 0x30, 0xD6, 0x35, 0x30, 0x54, 0x30, 0x30, 0xB0, 0x32, 0x34, 0xB0, 0x32, 0x30, 0xD0, 0x31, 0xE6, 0x02, 0x00, 0x2E, 0xB2, 0xEB, 0x0E, 0x16, 0x00, 0x00, 0x00]

    @Test func inflatesInMemoryInput() throws {
        let result = try ingestBytes(Self.member + Self.secondMember, name: "<stdin>")
        #expect(result.series.first?.values == [1, 2, 3])
        #expect(result.series.first?.key == key("stdin"))
    }

    @Test func inflatesFilesInChunks() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("aurora-ingest-\(UInt64.random(in: 0...UInt64.max))-cpu.csv.gz").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(Self.member + Self.secondMember).write(to: URL(fileURLWithPath: path))
        let result = try ingest([.path(path)])
        #expect(result.series.first?.values == [1, 2, 3])
        #expect(result.series.first?.key.name.hasSuffix("-cpu") == true)
        #expect(result.report.inputs.first?.bytes == 82)
    }

    @Test func truncatedAndCorruptGzip() throws {
        #expect(failure(bytes: Array(Self.member.prefix(Self.member.count - 6)), name: "cut.gz")
                == "cut.gz:1:1: truncated gzip data (expected the rest of the compressed stream)")
        var corrupt = Self.member
        corrupt[12] ^= 0xFF
        corrupt[13] ^= 0xFF
        #expect(failure(bytes: corrupt, name: "bad.gz").hasPrefix("bad.gz:1:1: corrupt gzip data: "))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("aurora-ingest-cut-\(UInt64.random(in: 0...UInt64.max)).gz").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(Self.member.prefix(Self.member.count - 6)).write(to: URL(fileURLWithPath: path))
        do {
            _ = try ingest([.path(path)])
            Issue.record("expected an error")
        } catch let error as LocatedError {
            #expect(error.description == "\(path):1:1: truncated gzip data (expected the rest of the compressed stream)")
        }
    }
}

/// gzip input inflates only so far: past `maxInflatedBytes` (or the ratio) it is refused, from every
/// source, before the rest is read.
@Suite struct InflationLimitTests {
    /// 2 MiB of CSV compressed by the system's gzip, as a file.
    static func compressedCSV() throws -> String {
        var text = "timestamp,value\n"
        for index in 0..<100_000 { text += "\(1_709_251_200 + index * 60),\(index % 10)\n" }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("aurora-inflation-\(UInt64.random(in: 0...UInt64.max)).csv").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "gzip -f \"$0\"", path]
        try process.run()
        process.waitUntilExit()
        return path + ".gz"
    }

    @Test func theAbsoluteCapStopsInflationFromEverySource() throws {
        let path = try Self.compressedCSV()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let compressed = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        var options = IngestOptions()
        options.maxInflatedBytes = 1 << 20
        let expected = "gzip data inflates past 1 MiB (expected at most that much per input: split the dump)"
        #expect(failure(bytes: compressed, name: "big.gz", options: options) == "big.gz:1:1: " + expected)
        for source in [InputSource.path(path), .descriptor(name: "<stdin>", open(path, O_RDONLY))] {
            do {
                _ = try ingest([source], options: options)
                Issue.record("expected a refusal")
            } catch let error as LocatedError {
                #expect(error.description == "\(source.displayName):1:1: " + expected)
            }
        }
        // Within the cap it reads whole.
        options.maxInflatedBytes = 4 << 20
        #expect(try ingestBytes(compressed, name: "big.gz", options: options).series.first?.count == 100_000)
    }

    @Test func theRatioIsJudgedOnlyPastItsGrace() {
        let limit = InflationLimit(maxBytes: 1 << 40, maxRatio: 100, ratioGrace: 16 << 20)
        #expect(limit.violation(inflated: 16 << 20, compressed: 1) == nil)
        #expect(limit.violation(inflated: 100 << 20, compressed: 1 << 20) == nil)
        #expect(limit.violation(inflated: (101 << 20) + 1, compressed: 1 << 20)?.contains("more than 100 times") == true)
    }
}

/// Standard input is read from its descriptor in chunks, compressed or not.
@Suite struct DescriptorInputTests {
    private func pipe(with bytes: [UInt8]) throws -> Pipe {
        let pipe = Pipe()
        try pipe.fileHandleForWriting.write(contentsOf: Data(bytes))
        try pipe.fileHandleForWriting.close()
        return pipe
    }

    @Test func plainPipe() throws {
        let pipe = try pipe(with: Array("timestamp,value\n1709251200,1\n1709251260,2\n".utf8))
        let result = try ingest([.descriptor(name: "<stdin>", pipe.fileHandleForReading.fileDescriptor)])
        #expect(result.series.first?.key == key("stdin"))
        #expect(result.series.first?.values == [1, 2])
        #expect(result.report.inputs.first?.bytes == 42)
    }

    @Test func gzipPipe() throws {
        let pipe = try pipe(with: GzipTests.member + GzipTests.secondMember)
        let result = try ingest([.descriptor(name: "<stdin>", pipe.fileHandleForReading.fileDescriptor)])
        #expect(result.series.first?.values == [1, 2, 3])
    }

    @Test func jsonDocumentFromAPipe() throws {
        let text = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{\"__name__\":\"up\"},\"value\":[1709251200,\"1\"]}]}}"
        let pipe = try pipe(with: Array(text.utf8))
        let result = try ingest([.descriptor(name: "<stdin>", pipe.fileHandleForReading.fileDescriptor)])
        #expect(result.series == [Series(key: key("up"), timestamps: [march1], values: [1])])
    }
}
