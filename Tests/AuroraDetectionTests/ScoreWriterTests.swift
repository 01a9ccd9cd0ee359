@testable import AuroraDetection
import Foundation
import Testing

@Suite struct ScoreWriterTests {
    func written(_ body: (ScoreWriter) -> Void) -> String {
        let writer = ScoreWriter()
        body(writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    @Test(arguments: [
        (0.0, "0"), (42.0, "42"), (-7.0, "-7"), (50.009, "50.009"), (0.5, "0.5"), (-0.25, "-0.25"),
        (1.0000004, "1"), (1.0000006, "1.000001"), (123456.789012, "123456.789012"), (1e-9, "1e-09"),
        (2e12, "2000000000000.0"), (-0.0000001, "-1e-07"),
    ])
    func numbersMatchWhatAnOperatorWouldWrite(value: Double, text: String) {
        #expect(written { $0.number(value) } == text)
    }

    /// Against the C library's `%.6f` with trailing zeros cut, over values of every magnitude the
    /// writer formats itself (the fast paths for small integer parts, scores and wide integers).
    @Test func numbersAndScoresAgreeWithPrintfOverManyValues() {
        var state: UInt64 = 0x5EED
        func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        func reference(_ value: Double) -> String {
            var text = String(format: "%.6f", value)
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
            return text == "-0" ? "0" : text
        }
        for _ in 0..<20_000 {
            let magnitude = [1.0, 10, 100, 1_000, 1e6, 1e11][Int(next() * 6)]
            let value = (next() - 0.3) * magnitude
            let text = written { $0.number(value) }
            if abs(value) >= 1e-6 {
                #expect(Double(text)! == Double(reference(value))! || abs(Double(text)! - value) <= 5.000001e-7 * max(1, abs(value) / 1e6),
                        "\(value): \(text) vs \(reference(value))")
            }
            #expect(!text.hasSuffix(".") && !(text.contains(".") && text.hasSuffix("0")), "\(text)")
            let score = next()
            let scoreText = written { $0.score(score) }
            #expect(scoreText == reference((score * 1_000_000).rounded(.toNearestOrAwayFromZero) / 1_000_000),
                    "\(score): \(scoreText)")
        }
    }

    @Test func scoresRoundToSixDecimals() {
        #expect(written { $0.score(6e-8) } == "0")
        #expect(written { $0.score(0.12345678) } == "0.123457")
        #expect(written { $0.score(1) } == "1")
        #expect(written { $0.number(.nan) } == "nan")
    }

    @Test func timestampsAreNABLayoutInUTCIncludingOldDatesAndDayChanges() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        for seconds: Int64 in [0, 59, 86_399, 86_400, 951_782_400, 1_709_164_800, 4_102_444_799, -1, -86_401, -2_208_988_800] {
            let expected = formatter.string(from: Date(timeIntervalSince1970: Double(seconds)))
            // Twice in a row: the second comes from the day cache.
            #expect(written { $0.timestamp(seconds * 1000); $0.byte(0x20); $0.timestamp(seconds * 1000) } == expected + " " + expected)
        }
    }
}
