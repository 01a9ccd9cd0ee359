import AuroraCore
import Testing
@testable import AuroraDetection

/// The sliding sorted window against brute force: median, MAD and quantiles after every push.
struct SortedWindowTests {
    @Test(arguments: [3, 4, 10, 51])
    func matchesBruteForce(capacity: Int) {
        var generator = Xoshiro256(seed: UInt64(capacity))
        var window = SortedWindow(capacity: capacity)
        var recent: [Double] = []
        for step in 0..<400 {
            // Quantised values force many ties, the case that breaks naive removal.
            let value = step % 7 == 0 ? 5 : Double(generator.next() % 20)
            window.push(value)
            recent.append(value)
            if recent.count > capacity { recent.removeFirst() }
            let sorted = recent.sorted()
            #expect(Array(window.sorted[0..<window.count]) == sorted)
            let median = Self.median(sorted)
            let mad = Self.median(sorted.map { Swift.abs($0 - median) }.sorted())
            let (foundMedian, foundMAD) = window.medianAndMAD()
            #expect(foundMedian == median)
            #expect(Swift.abs(foundMAD - mad) < 1e-12)
        }
    }

    static func median(_ sorted: [Double]) -> Double {
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
