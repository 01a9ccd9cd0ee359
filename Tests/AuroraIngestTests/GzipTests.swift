import AuroraCore
import Foundation
import Testing
@testable import AuroraIngest

/// gzip input is inflated on the fly when the system zlib is present (it is on Linux and macOS).
@Suite struct GzipTests {
    /// `timestamp,value` with two rows, compressed by gzip.
    static let member: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0xFF, 0x2B, 0xC9, 0xCC, 0x4D, 0x2D, 0x2E, 0x49, 0xCC, 0x2D, 0xD0, 0x29, 0x4B, 0xCC, 0x29, 0x4D, 0xE5, 0x32, 0x32, 0x30, 0x32, 0xD1, 0x35, 0x30, 0xD6, 0x35, 0x30, 0x54, 0x30, 0x30, 0xB0, 0x02, 0x23, 0x1D, 0x43, 0x74, 0x51, 0x53, 0x90, 0xA8, 0x11, 0x17, 0x00, 0x35, 0x95, 0x97, 0x80, 0x3C, 0x00, 0x00, 0x00]
    /// A second gzip member with one more row (as `cat a.gz b.gz` makes).
    static let secondMember: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0xFF, 0x33, 0x32, 0x30, 0x32, 0xD1, 0x35, 0x30, 0xD6, 0x35, 0x30, 0x54, 0x30, 0x30, 0xB0, 0x32, 0x34, 0xB0, 0x32, 0x30, 0xD0, 0x31, 0xE6, 0x02, 0x00, 0x2E, 0xB2, 0xEB, 0x0E, 0x16, 0x00, 0x00, 0x00]

    @Test func inflatesInMemoryInput() throws {
        guard GzipInflater.isAvailable else { return }
        let result = try ingestBytes(Self.member + Self.secondMember, name: "<stdin>")
        #expect(result.series.first?.values == [1, 2, 3])
        #expect(result.series.first?.key == key("stdin"))
    }

    @Test func inflatesFilesInChunks() throws {
        guard GzipInflater.isAvailable else { return }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("aurora-ingest-\(UInt64.random(in: 0...UInt64.max))-cpu.csv.gz").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(Self.member + Self.secondMember).write(to: URL(fileURLWithPath: path))
        let result = try ingest([.path(path)])
        #expect(result.series.first?.values == [1, 2, 3])
        #expect(result.series.first?.key.name.hasSuffix("-cpu") == true)
        #expect(result.report.inputs.first?.bytes == 82)
    }

    @Test func truncatedAndCorruptGzip() throws {
        guard GzipInflater.isAvailable else {
            #expect(failure(bytes: Array(Self.member.prefix(8)), name: "d.gz")
                    == "d.gz:1:1: gzip-compressed input: decompress first (zcat FILE | aurora … -)")
            return
        }
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
        guard GzipInflater.isAvailable else { return }
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
