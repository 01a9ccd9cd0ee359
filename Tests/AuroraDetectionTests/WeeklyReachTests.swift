import AuroraCore
import Foundation
import Testing
@testable import AuroraDetection

/// The weekly profile's reach (`seasonal.weeklyReach`): a fault is not learnt whole into its weekly
/// bin, so it does not page again as an "echo" a week later, while a weekly pattern that is real is
/// learnt as before.
struct WeeklyReachTests {
    static let hour: Int64 = 3_600_000

    /// Hourly traffic (daily sine 100 ± 30, noise σ 3) for six weeks, with `extra` applied per hour.
    static func hourly(seed: UInt64, _ extra: (Int, Double) -> Double) -> [Double] {
        var generator = Xoshiro256(seed: seed)
        return (0..<(42 * 24)).map { hour in
            extra(hour, 100 + 30 * sin(2 * Double.pi * Double(hour % 24) / 24) + 3 * generator.nextNormal())
        }
    }

    static func scores(_ values: [Double], reach: Double? = nil) throws -> [Double] {
        var settings = DetectionSettings()
        if let reach { settings.seasonal.weeklyReach = reach }
        return try HardCaseTests.run(values, step: hour, settings: settings).scores
    }

    /// A two-hour fault twenty times the traffic on day 10: learnt whole, its weekly bin expects half
    /// of it a week later (two observations averaged), and the normal traffic at that hour pages as a
    /// drop, week after week. Clipped, the echo stays below the threshold.
    @Test(arguments: [UInt64(5), 6, 7])
    func aFaultDoesNotPageAgainAWeekLater(seed: UInt64) throws {
        let fault = (10 * 24 + 1)...(10 * 24 + 2)
        let values = Self.hourly(seed: seed) { hour, value in fault.contains(hour) ? 20 * value : value }
        let echoes = (1...4).flatMap { week in fault.map { $0 + week * 168 } }
        let result = try Self.scores(values)
        #expect(result[fault.lowerBound] >= 0.9, "the fault itself pages: \(result[fault.lowerBound])")
        #expect(echoes.allSatisfy { result[$0] < 0.25 }, "echoes \(echoes.map { result[$0] })")

        let whole = try Self.scores(values, reach: 0)
        #expect(whole[fault.lowerBound + 168] >= 0.25, "what the reach prevents: \(whole[fault.lowerBound + 168])")
    }

    /// A weekly job that triples the traffic for two hours every Monday from week 3 on is a real weekly
    /// pattern: the reach must not slow its learning (it pages as often as with the bin learning whole).
    @Test(arguments: [UInt64(5), 6, 7])
    func aNewWeeklyJobIsLearntAsBefore(seed: UInt64) throws {
        let values = Self.hourly(seed: seed) { hour, value in hour >= 14 * 24 && [1, 2].contains(hour % 168) ? 3 * value : value }
        let runs = (2..<6).map { week in week * 168 + 1 }
        let result = try Self.scores(values)
        let whole = try Self.scores(values, reach: 0)
        #expect(result[runs[0]] >= 0.9, "the first run pages: \(result[runs[0]])")
        for run in runs.dropFirst() {
            #expect(abs(result[run] - whole[run]) <= 0.05, "run at hour \(run): \(result[run]) against \(whole[run]) learnt whole")
        }
    }

    @Test
    func aNegativeReachIsRejected() {
        var parameters = SeasonalDetector.Parameters()
        parameters.weeklyReach = -1
        #expect(throws: DetectionError.self) { try SeasonalDetector(parameters) }
    }
}
