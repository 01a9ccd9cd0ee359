/// How often a confident claim was right at each confidence: the check that a confidence is an
/// honest probability (a band's accuracy should reach at least its lower bound). Diagnosis grades its
/// top candidates with it, detection its events.
package struct ReliabilityTable: Sendable, Equatable {
    /// One confidence band.
    package struct Band: Sendable, Equatable {
        /// Lowest confidence in the band (included).
        package var lower: Double
        /// Highest confidence in the band (excluded, except 1 for the last band).
        package var upper: Double
        /// Cases whose confidence fell in the band.
        package var cases: Int
        /// Of those, cases that were right.
        package var right: Int
        /// Mean confidence of the band's cases.
        package var meanConfidence: Double

        /// Share of the band's cases that were right (nil when empty).
        package var accuracy: Double? { cases == 0 ? nil : Double(right) / Double(cases) }
        /// Whether the band keeps its promise: right at least as often as its lower bound says.
        /// Bands with fewer than `minimumCases` cases are not judged.
        package func holds(minimumCases: Int = 5) -> Bool {
            guard cases >= minimumCases, let accuracy else { return true }
            return accuracy >= lower
        }
    }

    /// The bands, lowest first.
    package var bands: [Band]
    /// Expected calibration error: the case-weighted mean |accuracy − mean confidence| over ten
    /// equal-width bins (the usual definition, independent of the bands shown).
    package var expectedCalibrationError: Double
    /// Mean squared difference between confidence and outcome (1 right, 0 wrong).
    package var brierScore: Double
    /// Cases scored.
    package var cases: Int

    /// The tier bands of the architecture: escalate, approval, auto with monitoring, auto.
    package static let tierEdges: [Double] = [0, 0.5, 0.7, 0.9, 1]

    /// Builds the table over `edges` (ascending, from 0 to 1) from (confidence, right) pairs.
    package init(_ results: [(confidence: Double, right: Bool)], edges: [Double] = ReliabilityTable.tierEdges) {
        bands = Self.bin(results, edges: edges)
        cases = results.count
        let bins = Self.bin(results, edges: (0...10).map { Double($0) / 10 })
        expectedCalibrationError = results.isEmpty ? 0 : bins.reduce(0) { sum, band in
            guard let accuracy = band.accuracy else { return sum }
            return sum + Double(band.cases) * abs(accuracy - band.meanConfidence)
        } / Double(results.count)
        brierScore = results.isEmpty ? 0 : results.reduce(0) { sum, item in
            let error = item.confidence - (item.right ? 1 : 0)
            return sum + error * error
        } / Double(results.count)
    }

    static func bin(_ results: [(confidence: Double, right: Bool)], edges: [Double]) -> [Band] {
        var bands = zip(edges, edges.dropFirst()).map { Band(lower: $0.0, upper: $0.1, cases: 0, right: 0, meanConfidence: 0) }
        guard !bands.isEmpty else { return [] }
        for item in results {
            let confidence = min(max(item.confidence.isFinite ? item.confidence : 0, 0), 1)
            let index = bands.lastIndex { confidence >= $0.lower } ?? 0
            bands[index].cases += 1
            if item.right { bands[index].right += 1 }
            bands[index].meanConfidence += confidence
        }
        for index in bands.indices where bands[index].cases > 0 {
            bands[index].meanConfidence /= Double(bands[index].cases)
        }
        return bands
    }

    /// Whether every band with at least `minimumCases` cases is right at least as often as its lower bound.
    package func holds(minimumCases: Int = 5) -> Bool { bands.allSatisfy { $0.holds(minimumCases: minimumCases) } }
}
