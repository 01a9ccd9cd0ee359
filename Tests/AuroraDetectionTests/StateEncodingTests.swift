import AuroraCore
import Testing
@testable import AuroraDetection

/// The compact state encoding: windows and profiles come back bit for bit, whatever they hold; states
/// saved in the older, whole layout still restore to the same detector; and the new states are smaller.
struct StateEncodingTests {
    /// A window after `pushes` values drawn by `value`, its compact encoding read back.
    static func roundTrip(capacity: Int, pushes: Int, value: (Int, inout Xoshiro256) -> Double) throws -> (SortedWindow, SortedWindow, whole: Bool) {
        var generator = Xoshiro256(seed: UInt64(capacity * 7 + pushes))
        var window = SortedWindow(capacity: capacity)
        for step in 0..<pushes { window.push(value(step, &generator)) }
        var writer = StateWriter(tag: "test", version: 1)
        window.writeCompact(to: &writer)
        var reader = try StateReader(writer.bytes, tag: "test", version: 1)
        let read = try SortedWindow.readCompact(from: &reader, capacity: capacity, owner: "test")
        try reader.finish()
        // Ranks take two bytes a value; the whole layout eight for each of the two copies.
        let whole = writer.bytes.count > 16 * capacity
        return (window, read, whole)
    }

    /// Whether two windows hold the same bits everywhere (`==` calls NaN sums different, -0 and +0 equal).
    static func sameBits(_ left: SortedWindow, _ right: SortedWindow) -> Bool {
        var leftWriter = StateWriter(tag: "test", version: 1)
        left.write(to: &leftWriter)
        var rightWriter = StateWriter(tag: "test", version: 1)
        right.write(to: &rightWriter)
        return leftWriter.bytes == rightWriter.bytes
    }

    @Test(arguments: [0, 1, 5, 50, 1_000, 2_345])
    func compactWindowRoundTripsExactly(pushes: Int) throws {
        let (window, read, whole) = try Self.roundTrip(capacity: 1_000, pushes: pushes) { _, generator in
            Double(generator.next() % 1_000_000) / 997 - 400
        }
        #expect(window == read)
        #expect(Self.sameBits(window, read))
        #expect(!whole)
    }

    @Test
    func windowWithManyTiesRoundTripsExactly() throws {
        // A constant series: every residual equal, the case a naive rank assignment gets quadratic or wrong.
        let (constant, readConstant, wholeConstant) = try Self.roundTrip(capacity: 500, pushes: 1_300) { _, _ in 0 }
        #expect(constant == readConstant)
        #expect(!wholeConstant)
        let (quantised, readQuantised, _) = try Self.roundTrip(capacity: 64, pushes: 300) { _, generator in Double(generator.next() % 3) }
        #expect(quantised == readQuantised)
    }

    @Test
    func windowsRanksCannotDescribeAreWrittenWholeAndStillExact() throws {
        // -0 and +0 compare equal but differ in bits; their sorted order is not always arrival order.
        let (zeros, readZeros, _) = try Self.roundTrip(capacity: 40, pushes: 200) { step, generator in
            generator.next() % 2 == 0 ? -0.0 : (step % 3 == 0 ? 1 : 0.0)
        }
        #expect(Self.sameBits(zeros, readZeros))
        let (infinite, readInfinite, _) = try Self.roundTrip(capacity: 40, pushes: 90) { step, _ in
            step % 9 == 0 ? .infinity : (step % 5 == 0 ? -.infinity : Double(step))
        }
        // Infinities make the running sums NaN.
        #expect(Self.sameBits(infinite, readInfinite))
    }

    @Test
    func corruptRanksAreRejected() throws {
        var window = SortedWindow(capacity: 8)
        for value in [3.0, 1, 2, 5, 4] { window.push(value) }
        var writer = StateWriter(tag: "test", version: 1)
        window.writeCompact(to: &writer)
        var bytes = writer.bytes
        // The last two ranks (two bytes each) made equal: one position used twice.
        bytes[bytes.count - 2] = bytes[bytes.count - 4]
        bytes[bytes.count - 1] = bytes[bytes.count - 3]
        var reader = try StateReader(bytes, tag: "test", version: 1)
        #expect(throws: DetectionError.self) { try SortedWindow.readCompact(from: &reader, capacity: 8, owner: "test") }
    }

    /// A yardstick read back must be one `RecentMaximum` could have reached: its horizon, bucket
    /// positions in range, maxima finite and not negative, the completed maximum that of its buckets.
    @Test
    func recentMaximaRoundTripAndCorruptOnesAreRejected() throws {
        var maximum = RecentMaximum(horizon: 64)
        for value in [3.0, 0, 7, 2, 9, 1, 0, 4, 5, 8, 6] { maximum.push(value) }
        var writer = StateWriter(tag: "test", version: 1)
        maximum.write(to: &writer)
        var reader = try StateReader(writer.bytes, tag: "test", version: 1)
        #expect(try RecentMaximum.read(from: &reader, horizon: 64) == maximum)
        try reader.finish()
        reader = try StateReader(writer.bytes, tag: "test", version: 1)
        #expect(throws: DetectionError.stateMismatch(detector: "test", reason: "its horizon differs from the saved one")) {
            try RecentMaximum.read(from: &reader, horizon: 128)
        }
        for corrupt in [-1.0, .nan, .infinity] {
            var forged = StateWriter(tag: "test", version: 1)
            forged.write(4)
            forged.write([Double](repeating: 0, count: 15) + [corrupt])
            forged.write(0)
            forged.write(0)
            forged.write(0.0)
            forged.write(0.0)
            var forgedReader = try StateReader(forged.bytes, tag: "test", version: 1)
            #expect(throws: DetectionError.self) { try RecentMaximum.read(from: &forgedReader, horizon: 64) }
        }
    }

    @Test
    func varintsRoundTrip() throws {
        let values: [UInt64] = [0, 1, 127, 128, 300, 65_535, 1 << 35, UInt64.max]
        var writer = StateWriter(tag: "test", version: 1)
        for value in values { writer.write(varint: value) }
        var reader = try StateReader(writer.bytes, tag: "test", version: 1)
        for value in values { #expect(try reader.readVarint() == value) }
        try reader.finish()
    }

    /// A seasonal detector fed `count` five-minute points of a daily pattern with noise.
    static func seasonal(points count: Int) throws -> SeasonalDetector {
        var detector: any Detector = try SeasonalDetector()
        let values = ConstructedSeries.seasonal(days: 16)
        let timestamps = ConstructedSeries.timestamps(values.count)
        _ = ConstructedSeries.score(&detector, Array(timestamps[..<count]), Array(values[..<count]))
        return try #require(detector as? SeasonalDetector)
    }

    /// A layout-4 state does not say whether its values were whole numbers: it restores as not (the
    /// scale a watched series had before), and carries on saving layout 5.
    @Test func aLayoutFourSeasonalStateRestoresWithoutTheIntegerScale() throws {
        var detector: any Detector = try SeasonalDetector()
        let values = (0..<700).map { Double(10 + $0 % 3) }
        _ = ConstructedSeries.score(&detector, ConstructedSeries.timestamps(values.count), values)
        let original = try #require(detector as? SeasonalDetector)
        let old = original.state(layout: 4)
        var restored = try SeasonalDetector()
        try restored.restoreState(old)
        #expect(restored.state(layout: 4) == old)
        #expect(try restored.saveState() != original.saveState(), "the integer flag is in layout 5 only")
        var fromNew = try SeasonalDetector()
        try fromNew.restoreState(try original.saveState())
        #expect(try fromNew.saveState() == original.saveState())
    }

    @Test(arguments: [40, 700, 4_000])
    func seasonalStatesOfTheOldLayoutRestoreToTheSameDetector(points: Int) throws {
        let original = try Self.seasonal(points: points)
        let old = original.state(layout: 3)
        var restoredOld = try SeasonalDetector()
        try restoredOld.restoreState(old)
        var restoredNew = try SeasonalDetector()
        try restoredNew.restoreState(try original.saveState())
        // Both restore every field: each saves the same bytes, in either layout.
        #expect(try restoredOld.saveState() == original.saveState())
        #expect(restoredOld.state(layout: 3) == old)
        #expect(restoredNew.state(layout: 3) == old)
        var fromOld: any Detector = restoredOld
        var fromNew: any Detector = restoredNew
        // And they go on scoring alike.
        let values = ConstructedSeries.seasonal(days: 16)
        let timestamps = ConstructedSeries.timestamps(values.count)
        let next = points..<points + 500
        let fromOldScores = ConstructedSeries.score(&fromOld, Array(timestamps[next]), Array(values[next]))
        let fromNewScores = ConstructedSeries.score(&fromNew, Array(timestamps[next]), Array(values[next]))
        #expect(fromOldScores == fromNewScores)
    }

    @Test
    func seasonalStatesAreSmallerInTheNewLayout() throws {
        let young = try Self.seasonal(points: 100)
        let full = try Self.seasonal(points: 4_500)
        // Old: 16 KB of window and 6 KB of profiles whatever the series' age.
        #expect(young.state(layout: 3).count > 22_000)
        #expect(try young.saveState().count < 3_000)
        #expect(try full.saveState().count < 15_000)
    }

    @Test
    func madAndPercentileStatesOfTheOldLayoutStillRestore() throws {
        // Version 1 of both is the window written whole, what `SortedWindow.write(to:)` writes.
        for (name, capacity) in [(MADDetector.name, MADDetector.Parameters().window), (PercentileBandDetector.name, PercentileBandDetector.Parameters().window)] {
            var window = SortedWindow(capacity: capacity)
            let values = ConstructedSeries.seasonal(days: 4)
            for value in values.prefix(1_200) { window.push(value) }
            var writer = StateWriter(tag: name, version: 1)
            window.write(to: &writer)
            var restored = try DetectorRegistry.standard.make(name, settings: DetectionSettings())
            try restored.restoreState(writer.bytes)
            var replayed = try DetectorRegistry.standard.make(name, settings: DetectionSettings())
            let timestamps = ConstructedSeries.timestamps(values.count)
            _ = ConstructedSeries.score(&replayed, Array(timestamps.prefix(1_200)), Array(values.prefix(1_200)))
            #expect(try restored.saveState() == replayed.saveState(), "\(name)")
        }
    }

    /// An owner that still reads its earlier layouts opens the state with a range of versions and
    /// learns which one it holds; anything outside the range is refused with the usual error.
    @Test
    func aReaderAcceptsARangeOfVersionsAndSaysWhichItFound() throws {
        for version: UInt8 in [1, 2] {
            var writer = StateWriter(tag: "test", version: version)
            writer.write(7)
            var reader = try StateReader(writer.bytes, tag: "test", versions: 1...2)
            #expect(reader.version == version)
            #expect(try reader.readInt() == 7)
            try reader.finish()
        }
        for version: UInt8 in [0, 3] {
            let bytes = StateWriter(tag: "test", version: version).bytes
            #expect(throws: DetectionError.stateMismatch(detector: "test", reason: "layout version \(version), expected 1 to 2")) {
                try StateReader(bytes, tag: "test", versions: 1...2)
            }
        }
        // One version, as every other owner opens its state: the message it always gave.
        #expect(throws: DetectionError.stateMismatch(detector: "test", reason: "layout version 2, expected 1")) {
            try StateReader(StateWriter(tag: "test", version: 2).bytes, tag: "test", version: 1)
        }
        #expect(try StateReader(StateWriter(tag: "test", version: 1).bytes, tag: "test", version: 1).version == 1)
    }
}
