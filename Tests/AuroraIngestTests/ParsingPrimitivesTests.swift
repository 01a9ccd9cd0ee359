import Testing
@testable import AuroraIngest

@Suite struct TimestampTests {
    @Test(arguments: [
        ("2024-03-01T00:00:00Z", march1),
        ("2024-03-01T00:00:00", march1),
        ("2024-03-01 00:00:00", march1),
        ("2024-03-01", march1),
        ("2024-03-01T02:00:00+02:00", march1),
        ("2024-03-01T02:00:00+0200", march1),
        ("2024-02-29T19:00:00-05:00", march1),
        ("2024-03-01T00:00:00.250Z", march1 + 250),
        ("2024-03-01T00:00:00.123456789Z", march1 + 123),
        ("2024-03-01 00:00:00 UTC", march1),
        ("2024-03-01T00:00Z", march1),
        ("1709251200", march1),
        ("1709251200.5", march1 + 500),
        ("1709251200000", march1),
        ("1709251200000000", march1),
        ("1709251200000000000", march1),
        ("1.7092512e9", march1),
        ("0", 0),
        ("1969-12-31T23:59:59Z", -1000),
    ])
    func accepted(text: String, expected: Int64) {
        #expect(TimestampParser.parse(text) == expected)
    }

    @Test(arguments: ["", "yesterday", "2024-13-01", "2024-02-30", "2024-03-01T25:00:00", "2024-03-01X00:00:00",
                      "2024-03-01T00:00:00+2", "12:00:00", "17092512OO", "2024-03-01T00:00:00Zjunk", "-"])
    func rejected(text: String) {
        #expect(TimestampParser.parse(text) == nil)
    }
}

@Suite struct NumberTests {
    func parse(_ text: String) -> Double? {
        var copy = text
        return copy.withUTF8 { NumberParser.parseDouble($0.baseAddress!, $0.count) }
    }

    @Test(arguments: ["0", "1", "-1", "+2.5", "3.14159", "1e3", "1E-3", "-2.5e+10", "0.1", "123456789012345678901234",
                      "1.7976931348623157e308", "5e-324", "0.000001", ".5", "5.", "9007199254740993"])
    func matchesStrtod(text: String) {
        #expect(parse(text) == Double(text) ?? strtodValue(text))
    }

    func strtodValue(_ text: String) -> Double? { Double(text) }

    @Test func nonFiniteWords() {
        #expect(parse("NaN")?.isNaN == true)
        #expect(parse("nan")?.isNaN == true)
        #expect(parse("+Inf") == .infinity)
        #expect(parse("-Inf") == -.infinity)
        #expect(parse("Infinity") == .infinity)
    }

    @Test(arguments: ["", "-", "1e", "1.2.3", "abc", "1,5", " 1", "0x10", "--1", "e5"])
    func rejected(text: String) {
        #expect(parse(text) == nil)
    }
}
