import AuroraCore
import Testing

@Suite struct RandomTests {
    @Test func sameSeedSameStream() {
        var a = Xoshiro256(seed: 42), b = Xoshiro256(seed: 42), c = Xoshiro256(seed: 43)
        let first = (0..<100).map { _ in a.next() }
        #expect(first == (0..<100).map { _ in b.next() })
        #expect(first != (0..<100).map { _ in c.next() })
    }

    @Test func splitMixMatchesReferenceValues() {
        // Reference outputs of SplitMix64 seeded with 0 (Vigna's reference implementation).
        var generator = SplitMix64(seed: 0)
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
        #expect(generator.next() == 0x6E78_9E6A_A1B9_65F4)
    }

    @Test func unitDrawsStayInRangeAndNormalsAreCentred() {
        var generator = Xoshiro256(seed: 7)
        var sum = 0.0
        for _ in 0..<10_000 {
            let u = generator.nextUnit()
            #expect(u >= 0 && u < 1)
            sum += generator.nextNormal()
        }
        #expect(abs(sum / 10_000) < 0.05)
    }

    @Test func fnvIsStable() {
        #expect(fnv1a64("") == 0xCBF2_9CE4_8422_2325)
        #expect(fnv1a64("a") == 0xAF63_DC4C_8601_EC8C)
    }
}
