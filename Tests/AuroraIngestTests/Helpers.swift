import AuroraCore
@testable import AuroraIngest

/// Ingests text given in memory under a file name (the name only matters for messages and NAB).
func ingestText(_ text: String, name: String = "input.csv", options: IngestOptions = IngestOptions()) throws -> IngestResult {
    try ingest([.bytes(name: name, Array(text.utf8))], options: options)
}

/// Ingests raw bytes.
func ingestBytes(_ bytes: [UInt8], name: String = "input.csv", options: IngestOptions = IngestOptions()) throws -> IngestResult {
    try ingest([.bytes(name: name, bytes)], options: options)
}

/// The message of the located error an ingestion throws, or a description of what happened instead.
func failure(_ text: String, name: String = "input.csv", options: IngestOptions = IngestOptions()) -> String {
    failure(bytes: Array(text.utf8), name: name, options: options)
}

func failure(bytes: [UInt8], name: String = "input.csv", options: IngestOptions = IngestOptions()) -> String {
    do {
        let result = try ingestBytes(bytes, name: name, options: options)
        return "no error: \(result.series.count) series"
    } catch let error as LocatedError {
        return error.kind == .dataError ? error.description : "wrong kind \(error.kind): \(error)"
    } catch {
        return "other error: \(error)"
    }
}

/// 2024-03-01T00:00:00Z in Unix ms, a base for fixtures.
let march1: Int64 = 1_709_251_200_000

func key(_ name: String, _ labels: [String: String] = [:]) -> SeriesKey { SeriesKey(name: name, labels: labels) }
