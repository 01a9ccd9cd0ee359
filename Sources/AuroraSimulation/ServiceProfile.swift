/// The normal behaviour of one synthetic service, drawn from the services stream.
struct ServiceProfile {
    var cpuBase: Double
    var cpuTargetShare: Double
    var capacity: Double
    var cpuSigma: Double
    var memoryBase: Double
    var sawPeriodSteps: Double
    var sawAmplitude: Double
    var memorySigma: Double
    var serviceTime: Double
    var errorBase: Double
    /// Heavy-tailed (Laplace) noise per metric, in `SyntheticMetric.perService` order.
    var heavyTailed: [Bool]

    init(stream: inout SyntheticStream) {
        cpuBase = stream.uniform(2, 10)
        cpuTargetShare = stream.uniform(0.15, 0.5)
        capacity = 100
        cpuSigma = stream.uniform(0.5, 2)
        memoryBase = stream.uniform(200, 4000)
        sawPeriodSteps = stream.uniform(6, 60)
        sawAmplitude = memoryBase * stream.uniform(0.02, 0.1)
        memorySigma = memoryBase * stream.uniform(0.002, 0.01)
        serviceTime = stream.uniform(2, 30)
        errorBase = stream.uniform(1e-4, 1e-3)
        heavyTailed = SyntheticMetric.perService.map { _ in stream.chance(0.3) }
    }
}

/// Pre-drawn noise of one service, shared by the counterfactual and factual runs.
struct ServiceNoise {
    var load: [Double]
    var cpu: [Double]
    var memory: [Double]
    var latency: [Double]
    var error: [Double]

    init(steps: Int, profile: ServiceProfile, stream: inout SyntheticStream) {
        func draw(_ heavy: Bool, _ stream: inout SyntheticStream) -> [Double] {
            (0..<steps).map { _ in heavy ? stream.laplace() : stream.normal() }
        }
        latency = draw(profile.heavyTailed[0], &stream)
        error = (0..<steps).map { _ in stream.beta22() }
        cpu = draw(profile.heavyTailed[2], &stream)
        memory = draw(profile.heavyTailed[3], &stream)
        load = draw(profile.heavyTailed[5], &stream)
    }
}
