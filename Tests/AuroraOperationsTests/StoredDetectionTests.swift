import AuroraConfig
import AuroraCore
import AuroraDetection
@testable import AuroraOperations
import AuroraStore
import AuroraTestSupport
import Foundation
import Testing

/// Detection of stored series over many runs, as `aurora watch` does it: the state is saved every few
/// dozen points and the points since are replayed, which must report exactly what saving it every run did.
@Suite struct StoredDetectionTests {
    static let key = SeriesKey(name: "latency", labels: ["service": "checkout"])
    static let start: Int64 = 1_795_000_000_000

    /// A noisy level with +60 spikes at `spikes` (deterministic: a fixed linear congruential sequence).
    static func points(_ range: Range<Int>, spikes: Set<Int> = []) -> Series {
        var series = Series(key: key)
        for index in range {
            var state = UInt64(index) &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            state ^= state >> 33
            let noise = Double(state % 1_000) / 1_000 - 0.5
            series.append(timestamp: start + Int64(index) * 1_000, value: 10 + noise + (spikes.contains(index) ? 60 : 0))
        }
        return series
    }

    static func context(_ folder: TemporaryDirectory) throws -> OperationsContext {
        OperationsContext(store: try Store(path: folder.file("aurora.db")), configuration: try ConfigLoader.load(yaml: "aurora: {}", file: "aurora.yaml"),
                          clock: FixedClock(), environment: [:], workingDirectory: folder.path, actor: "test",
                          processRunner: FakeProcessRunner([]), httpTransport: FakeHTTPTransport())
    }

    static func store(_ series: Series, _ context: OperationsContext) throws {
        _ = try context.store.database.write { try SeriesStore.store([series], serviceLabel: "service", at: Date(), in: $0) }
    }

    static func detect(_ context: OperationsContext) async throws -> StoredDetection.Outcome {
        try await StoredDetection.detect(detection: try DetectionRun(), store: true, context: context)
    }

    static func progress(_ context: OperationsContext) throws -> AnomalyEventStore.DetectorProgress {
        try context.store.database.read { db in
            let id = try #require(try SeriesStore.list(in: db).first?.id)
            return try #require(try AnomalyEventStore.progress(seriesID: id, detector: "ensemble:seasonal", in: db))
        }
    }

    static func recorded(_ context: OperationsContext) throws -> [Int64] {
        try context.store.database.read { try AnomalyEventStore.events(in: $0).map(\.start) }
    }

    @Test func manySmallRunsReportWhatOneRunReports() async throws {
        let spikes: Set<Int> = [150, 233, 301, 377]
        let whole = try TemporaryDirectory()
        defer { whole.remove() }
        let once = try Self.context(whole)
        try Self.store(Self.points(0..<420, spikes: spikes), once)
        _ = try await Self.detect(once)

        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let context = try Self.context(folder)
        var lagged = false
        for first in stride(from: 0, to: 420, by: 7) {
            try Self.store(Self.points(first..<first + 7, spikes: spikes), context)
            _ = try await Self.detect(context)
            let progress = try Self.progress(context)
            #expect(progress.watermark == Self.start + Int64(first + 6) * 1_000)
            if let at = progress.checkpoint?.at, at < progress.watermark { lagged = true }
        }
        #expect(lagged, "the checkpoint never lagged the watermark: nothing was replayed")
        #expect(try Self.recorded(context) == Self.recorded(once))
        #expect(try Self.recorded(context).contains(Self.start + 150_000))
        // The checkpoint is the state one run leaves after the point it is at.
        let checkpoint = try #require(try Self.progress(context).checkpoint)
        let upTo = Int((checkpoint.at - Self.start) / 1_000) + 1
        #expect(checkpoint.state == (try DetectionRun().run(Self.points(0..<upTo, spikes: spikes)).state))
    }

    @Test func aRestartAfterALaggingCheckpointNeitherReAlertsNorSkips() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        var next = 200
        do {
            let context = try Self.context(folder)
            try Self.store(Self.points(0..<next), context)
            _ = try await Self.detect(context)
            // Quiet passes until one has just saved the state: the next few will not.
            while try Self.progress(context).checkpoint?.at != Self.start + Int64(next - 1) * 1_000 || next == 200 {
                try Self.store(Self.points(next..<next + 4), context)
                _ = try await Self.detect(context)
                next += 4
            }
            try Self.store(Self.points(next..<next + 12, spikes: [next + 3]), context)
            let outcome = try await Self.detect(context)
            #expect(outcome.events.map(\.start) == [Self.start + Int64(next + 3) * 1_000])
            let progress = try Self.progress(context)
            #expect(progress.checkpoint?.at == Self.start + Int64(next - 1) * 1_000, "the checkpoint lags: the spike's points are replayed next")
            #expect(progress.watermark == Self.start + Int64(next + 11) * 1_000)
            next += 12
        }
        // A new process on the same database: the points after the checkpoint are replayed, the spike
        // already reported is not reported again, and the new points are all scored.
        let context = try Self.context(folder)
        try Self.store(Self.points(next..<next + 12, spikes: [next + 6]), context)
        let outcome = try await Self.detect(context)
        #expect(outcome.events.map(\.start) == [Self.start + Int64(next + 6) * 1_000])
        #expect(try Self.recorded(context) == [Self.start + Int64(next - 9) * 1_000, Self.start + Int64(next + 6) * 1_000])
        #expect(try Self.progress(context).watermark == Self.start + Int64(next + 11) * 1_000)
        // Nothing new: nothing scored, nothing reported.
        let idle = try await Self.detect(context)
        #expect(idle.scoredSeries == 0 && idle.events.isEmpty)
    }
}

/// When a series saves its detector state.
@Suite struct CheckpointScheduleTests {
    static func series(_ id: Int64, step: Int64?) -> StoredSeries {
        StoredSeries(id: id, key: SeriesKey(name: "x"), service: nil, first: 0, last: 0, points: 0, stepMilliseconds: step)
    }

    /// Series fed in step save in turn: over a long run each saves once per `checkpointPoints` points,
    /// and no pass saves many more than its share.
    @Test func seriesFedInStepSaveInTurn() {
        let perPass: Int64 = 5
        var checkpoints = [Int64](repeating: 0, count: 1_000)
        var savedPerPass: [Int] = []
        for pass in 1...200 {
            let last = Int64(pass) * perPass * 1_000
            var saved = 0
            for id in checkpoints.indices {
                let since = Int((last - checkpoints[id]) / 1_000)
                if StoredDetection.savesCheckpoint(Self.series(Int64(id + 1), step: 1_000), checkpoint: checkpoints[id], last: last,
                                                   pointsSinceCheckpoint: since) {
                    checkpoints[id] = last
                    saved += 1
                }
            }
            savedPerPass.append(saved)
        }
        let share = 1_000 * Int(perPass) / Int(StoredDetection.checkpointPoints)
        #expect(savedPerPass.dropFirst().allSatisfy { $0 <= share * 3 / 2 }, "\(savedPerPass)")
        #expect(abs(savedPerPass.reduce(0, +) / savedPerPass.count - share) <= share / 5)
    }

    @Test func aSeriesWithoutAStepSavesByCount() {
        let irregular = Self.series(7, step: nil)
        #expect(!StoredDetection.savesCheckpoint(irregular, checkpoint: 0, last: 10, pointsSinceCheckpoint: 47))
        #expect(StoredDetection.savesCheckpoint(irregular, checkpoint: 0, last: 10, pointsSinceCheckpoint: 48))
        #expect(StoredDetection.savesCheckpoint(Self.series(7, step: 1_000), checkpoint: 0, last: 1, pointsSinceCheckpoint: 96))
    }
}
