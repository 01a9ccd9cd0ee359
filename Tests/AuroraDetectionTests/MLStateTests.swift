import AuroraCore
@testable import AuroraDetection
import Testing

/// Determinism, save/restore continuity, missing values and corrupt state.
struct MLStateTests {
    static let values: [Double] = {
        var values = MLFixtures.sine(2600, period: 60, amplitude: 3, noise: 0.3)
        values[1500] += 9
        for i in 2000..<2600 { values[i] += 2 }
        return values
    }()

    static func forest() throws -> IsolationForestDetector {
        var configuration = IsolationForestConfiguration()
        configuration.trainingPoints = 400
        configuration.retrainInterval = 300
        configuration.reservoirCapacity = 512
        return try IsolationForestDetector(configuration: configuration)
    }

    @Test func sameInputGivesIdenticalScores() throws {
        var a = try Self.forest(), b = try Self.forest()
        #expect(MLFixtures.run(&a, Self.values) == MLFixtures.run(&b, Self.values))
        var c = MLFixtures.smallLSTM(), d = MLFixtures.smallLSTM()
        #expect(MLFixtures.run(&c, Self.values) == MLFixtures.run(&d, Self.values))
    }

    @Test(arguments: [[1237], [399, 400, 401], [700, 1500, 2101]])
    func isolationForestContinuesAcrossSaveAndRestore(cuts: [Int]) throws {
        let once = try MLFixtures.runInBlocks(Self.forest, Self.values, cuts: [], restoring: false)
        let split = try MLFixtures.runInBlocks(Self.forest, Self.values, cuts: cuts, restoring: true)
        #expect(once == split)
    }

    @Test(arguments: [[1237], [15, 16, 17], [700, 1500, 2101]])
    func lstmContinuesAcrossSaveAndRestore(cuts: [Int]) throws {
        let make = { MLFixtures.smallLSTM() }
        let once = try MLFixtures.runInBlocks(make, Self.values, cuts: [], restoring: false)
        let split = try MLFixtures.runInBlocks(make, Self.values, cuts: cuts, restoring: true)
        #expect(once == split)
    }

    @Test func multivariateContinuesAcrossSaveAndRestore() throws {
        var configuration = IsolationForestConfiguration()
        configuration.trainingPoints = 300
        let other = Self.values.map { $0 * $0 }
        let times = MLFixtures.timestamps(Self.values.count)
        func run(_ detector: inout MultivariateIsolationForestDetector, _ range: Range<Int>) throws -> [Double] {
            var scores = [Double](repeating: 0, count: range.count)
            let t = Array(times[range]), a = Array(Self.values[range]), b = Array(other[range])
            try t.withUnsafeBufferPointer { t in
                try a.withUnsafeBufferPointer { a in
                    try b.withUnsafeBufferPointer { b in
                        try scores.withUnsafeMutableBufferPointer { try detector.score(timestamps: t, series: [a, b], into: $0) }
                    }
                }
            }
            return scores
        }
        var whole = try MultivariateIsolationForestDetector(seriesCount: 2, configuration: configuration)
        let once = try run(&whole, 0..<Self.values.count)
        var first = try MultivariateIsolationForestDetector(seriesCount: 2, configuration: configuration)
        var split = try run(&first, 0..<1111)
        var second = try MultivariateIsolationForestDetector(seriesCount: 2, configuration: configuration)
        try second.restoreState(try first.saveState())
        split += try run(&second, 1111..<Self.values.count)
        #expect(once == split)
    }

    @Test func missingValuesScoreZeroAndLeaveStateUntouched() throws {
        var gappy = Self.values
        gappy.insert(.nan, at: 900)
        gappy.insert(.infinity, at: 1800)
        var plain = try Self.forest(), holey = try Self.forest()
        var expected = MLFixtures.run(&plain, Self.values)
        expected.insert(0, at: 900)
        expected.insert(0, at: 1800)
        #expect(MLFixtures.run(&holey, gappy) == expected)
        var lstmPlain = MLFixtures.smallLSTM(), lstmHoley = MLFixtures.smallLSTM()
        var lstmExpected = MLFixtures.run(&lstmPlain, Self.values)
        lstmExpected.insert(0, at: 900)
        lstmExpected.insert(0, at: 1800)
        #expect(MLFixtures.run(&lstmHoley, gappy) == lstmExpected)
    }

    @Test func absurdValuesScoreInRangeAndDoNotPoisonTheModel() throws {
        var values = Self.values
        values[1200] = 1e300
        values[1400] = -1e39
        values[1600] = .greatestFiniteMagnitude
        var forest = try Self.forest()
        let forestScores = MLFixtures.run(&forest, values)
        #expect(forestScores.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(forestScores[1200] >= forest.threshold && forestScores[1600] >= forest.threshold)
        var lstm = MLFixtures.smallLSTM()
        let lstmScores = MLFixtures.run(&lstm, values)
        #expect(lstmScores.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(lstm.recentMeanError.isFinite)
    }

    @Test func corruptOrForeignStateIsRejected() throws {
        var forest = try Self.forest()
        _ = MLFixtures.run(&forest, Self.values)
        var lstm = MLFixtures.smallLSTM()
        _ = MLFixtures.run(&lstm, Self.values)
        let forestState = try forest.saveState()
        let lstmState = try lstm.saveState()
        var fresh = MLFixtures.smallLSTM()
        #expect(throws: MLDetectorError.self) { try fresh.restoreState(forestState) }
        #expect(throws: MLDetectorError.self) { try fresh.restoreState(Array(lstmState.dropLast(3))) }
        #expect(throws: MLDetectorError.self) { try fresh.restoreState([]) }
        var freshForest = try Self.forest()
        #expect(throws: MLDetectorError.self) { try freshForest.restoreState(lstmState) }
        #expect(throws: MLDetectorError.self) { try freshForest.restoreState(Array(forestState.prefix(100))) }
        var otherShape = LSTMForecasterDetector()
        do {
            try otherShape.restoreState(lstmState)
            Issue.record("restored a hidden-8 state into a hidden-32 detector")
        } catch let error as MLDetectorError {
            #expect(error.kind == .dataError)
        }
    }
}
