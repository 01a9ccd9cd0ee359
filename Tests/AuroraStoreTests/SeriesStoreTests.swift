import AuroraCore
import AuroraStore
import AuroraTestSupport
import Foundation
import Testing

@Suite struct SeriesStoreTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func sample(_ service: String, _ values: [Double], start: Int64 = 0) -> Series {
        Series(key: SeriesKey(name: "latency_ms", labels: ["service": service]),
               timestamps: values.indices.map { start + Int64($0) * 60_000 }, values: values)
    }

    @Test func storingTwiceStoresEachPointOnce() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let db = try Store(path: folder.file("s.db")).database
        let series = [sample("checkout", [1, 2, 3, 4]), sample("cart", [5, 6])]
        let first = try db.write { try SeriesStore.store(series, serviceLabel: "service", at: now, in: $0) }
        #expect(first.newPoints == 6 && first.newSeries == 2)
        let second = try db.write { try SeriesStore.store(series, serviceLabel: "service", at: now, in: $0) }
        #expect(second.newPoints == 0 && second.unchangedPoints == 6 && second.newSeries == 0)
        let stored = try SeriesStore.list(in: db)
        #expect(stored.map(\.key.description) == [#"latency_ms{service="cart"}"#, #"latency_ms{service="checkout"}"#])
        #expect(stored.map(\.points) == [2, 4])
        #expect(stored[1].service == "checkout")
        #expect(stored[1].stepMilliseconds == 60_000)
        #expect(stored[1].first == 0 && stored[1].last == 180_000)
    }

    /// Live passes append after the newest point: the summary is updated in place and stays what a full
    /// recount gives; points before or among the stored ones, and overlapping batches, are recounted.
    @Test func theSummaryFollowsAppendsBackfillsAndOverlaps() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let db = try Store(path: folder.file("s.db")).database
        func store(_ values: [Double], start: Int64) throws {
            _ = try db.write { try SeriesStore.store([sample("a", values, start: start)], serviceLabel: "service", at: now, in: $0) }
        }
        func summary() throws -> StoredSeries { try SeriesStore.list(in: db)[0] }
        func recount() throws -> (Int64?, Int64?, Int64?) {
            let row = try db.query("SELECT min(ts), max(ts), count(*) FROM points")[0]
            return (row[0].int64, row[1].int64, row[2].int64)
        }
        try store([1, 2, 3], start: 600_000)
        for pass in 1...4 {
            // Appends, one of them with a duplicated timestamp inside the batch.
            let start = 600_000 + Int64(pass) * 180_000
            try store([4, 5, 6], start: start)
            _ = try db.write { try SeriesStore.store([Series(key: sample("a", []).key, timestamps: [start + 120_000, start + 120_000],
                                                             values: [6, 6])], serviceLabel: "service", at: now, in: $0) }
        }
        var current = try summary()
        var truth = try recount()
        #expect(current.first == truth.0 && current.last == truth.1 && Int64(current.points) == truth.2)
        #expect(current.points == 15 && current.stepMilliseconds == 60_000)
        // Backfill before the first point, then an overlap with new points in the middle of the stored ones.
        try store([7, 8], start: 0)
        try store([9, 9, 9, 9], start: 660_000 + 30_000)
        current = try summary()
        truth = try recount()
        #expect(current.first == 0 && current.first == truth.0 && current.last == truth.1 && Int64(current.points) == truth.2)
    }

    /// The step is read from the first 1,001 points; appends past them keep it without reading them again.
    @Test func theStepSettlesOnTheFirstThousandPoints() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let db = try Store(path: folder.file("s.db")).database
        let second = Series(key: SeriesKey(name: "rps", labels: ["service": "a"]), timestamps: (0..<1_200).map { Int64($0) * 1_000 },
                            values: [Double](repeating: 1, count: 1_200))
        _ = try db.write { try SeriesStore.store([second], serviceLabel: "service", at: now, in: $0) }
        #expect(try SeriesStore.list(in: db)[0].stepMilliseconds == 1_000)
        // Later points every 5 s: the first thousand still say 1 s.
        let slower = Series(key: second.key, timestamps: (0..<2_000).map { 1_200_000 + Int64($0) * 5_000 },
                            values: [Double](repeating: 1, count: 2_000))
        _ = try db.write { try SeriesStore.store([slower], serviceLabel: "service", at: now, in: $0) }
        let stored = try SeriesStore.list(in: db)[0]
        #expect(stored.stepMilliseconds == 1_000 && stored.points == 3_200 && stored.last == 1_200_000 + 1_999 * 5_000)
    }

    /// A young series (fewer than 1,001 points): appends at its step keep it; appends at another step
    /// re-read it, and it changes once the new gap is the most common.
    @Test func aYoungSeriesStepFollowsItsMostCommonGap() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let db = try Store(path: folder.file("s.db")).database
        let key = SeriesKey(name: "rps", labels: ["service": "a"])
        func append(_ timestamps: [Int64]) throws -> Int64? {
            _ = try db.write { try SeriesStore.store([Series(key: key, timestamps: timestamps, values: timestamps.map { _ in 1 })],
                                                     serviceLabel: "service", at: now, in: $0) }
            return try SeriesStore.list(in: db)[0].stepMilliseconds
        }
        #expect(try append((0..<10).map { Int64($0) * 1_000 }) == 1_000)
        #expect(try append((10..<15).map { Int64($0) * 1_000 }) == 1_000)
        #expect(try append((1..<6).map { 14_000 + Int64($0) * 5_000 }) == 1_000)
        #expect(try append((6..<30).map { 14_000 + Int64($0) * 5_000 }) == 5_000)
        #expect(try append((30..<35).map { 14_000 + Int64($0) * 5_000 }) == 5_000)
    }

    @Test func aChangedValueAtAStoredTimestampIsUpdatedNotDuplicated() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let db = try Store(path: folder.file("s.db")).database
        _ = try db.write { try SeriesStore.store([sample("a", [1, 2, 3])], serviceLabel: "service", at: now, in: $0) }
        let summary = try db.write { try SeriesStore.store([sample("a", [1, 9, 3, 4])], serviceLabel: "service", at: now, in: $0) }
        #expect(summary.newPoints == 1 && summary.updatedPoints == 1 && summary.unchangedPoints == 2)
        let loaded = try SeriesStore.load(try SeriesStore.list(in: db)[0], in: db)
        #expect(loaded.values == [1, 9, 3, 4])
    }

    /// A few points go in one multi-row statement; a timestamp twice in it keeps the later value, as
    /// point-by-point writing did.
    @Test func aTimestampTwiceInOneWriteKeepsTheLaterValue() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let db = try Store(path: folder.file("s.db")).database
        let twice = Series(key: SeriesKey(name: "latency_ms", labels: ["service": "a"]), timestamps: [0, 60_000, 60_000, 120_000], values: [1, 2, 5, 3])
        let summary = try db.write { try SeriesStore.store([twice], serviceLabel: "service", at: now, in: $0) }
        #expect(summary.newPoints == 3 && summary.updatedPoints == 1 && summary.unchangedPoints == 0)
        #expect(try SeriesStore.load(try SeriesStore.list(in: db)[0], in: db).values == [1, 5, 3])
    }

    @Test func rangesAndDropping() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let db = try Store(path: folder.file("s.db")).database
        _ = try db.write { try SeriesStore.store([sample("a", [1, 2, 3, 4, 5]), sample("b", [1])], serviceLabel: "service", at: now, in: $0) }
        let a = try SeriesStore.list(in: db) { $0[label: "service"] == "a" }
        #expect(a.count == 1)
        let window = try SeriesStore.points(seriesID: a[0].id, from: 60_000, to: 180_000, in: db)
        #expect(window.values == [2, 3])
        #expect(try db.write { try SeriesStore.drop(ids: [a[0].id], in: $0) } == 1)
        #expect(try SeriesStore.list(in: db).map { $0.key[label: "service"] } == ["b"])
        #expect(try db.scalar("SELECT count(*) FROM points")?.int64 == 1)
    }

    @Test func labelValuesWithSpecialCharactersRoundTrip() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let db = try Store(path: folder.file("s.db")).database
        let key = SeriesKey(name: "m", labels: ["path": "/a=b?c=\"d\"", "service": "x y"])
        _ = try db.write { try SeriesStore.store([Series(key: key, timestamps: [1], values: [2])], serviceLabel: "service", at: now, in: $0) }
        #expect(try SeriesStore.list(in: db).map(\.key) == [key])
    }

    /// A value holding the character the labels column once joined labels with (U+001F) listed as two
    /// labels, so two distinct stored series read back as one key. Keys are read from their notation now.
    @Test func aLabelValueWithTheOldSeparatorStaysOneLabel() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let db = try Store(path: folder.file("s.db")).database
        let joined = SeriesKey(name: "cpu", labels: ["service": "a\u{1F}x=y"])
        let split = SeriesKey(name: "cpu", labels: ["service": "a", "x": "y"])
        let series = [joined, split].map { Series(key: $0, timestamps: [1], values: [2]) }
        _ = try db.write { try SeriesStore.store(series, serviceLabel: "service", at: now, in: $0) }
        #expect(Set(try SeriesStore.list(in: db).map(\.key)) == [joined, split])
    }
}
