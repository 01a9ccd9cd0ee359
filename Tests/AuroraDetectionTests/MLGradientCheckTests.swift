import AuroraCore
@testable import AuroraDetection
import Testing

/// The LSTM's back-propagation against central finite differences, in Double.
struct MLGradientCheckTests {
    @Test(arguments: [(inputs: 3, hidden: 5, steps: 6), (inputs: 1, hidden: 8, steps: 4)])
    func analyticalGradientsMatchNumericalOnes(shape: (inputs: Int, hidden: Int, steps: Int)) {
        var generator = Xoshiro256(seed: 99)
        let inputs = (0..<(shape.steps * shape.inputs)).map { _ in generator.nextNormal() }
        let currents = (0..<shape.steps).map { _ in generator.nextNormal() }
        let targets = (0..<shape.steps).map { _ in generator.nextNormal() }
        var start = LSTMNetwork<Double>(inputSize: shape.inputs, hiddenSize: shape.hidden, chunkLength: shape.steps,
                                        learningRate: 0.01, gradientClip: 1, seed: 5)
        // Scale weights up so gates are not all near 0.5: a check in the linear regime proves little.
        for p in 0..<start.parameterCount { start.setParameter(p, start.parameter(p) * 2.5) }

        func loss(_ network: LSTMNetwork<Double>) -> (Double, LSTMNetwork<Double>) {
            var network = network
            for s in 0..<shape.steps {
                inputs.withUnsafeBufferPointer { buffer in
                    _ = network.forward(input: buffer.baseAddress! + s * shape.inputs, current: currents[s])
                }
                _ = network.recordTarget(targets[s])
            }
            return (network.chunkLoss(), network)
        }

        var (_, analytical) = loss(start)
        analytical.computeGradients()
        let epsilon = 1e-6
        var worst = 0.0
        var checked = 0
        for p in 0..<start.parameterCount {
            var plus = start
            plus.setParameter(p, start.parameter(p) + epsilon)
            var minus = start
            minus.setParameter(p, start.parameter(p) - epsilon)
            let numerical = (loss(plus).0 - loss(minus).0) / (2 * epsilon)
            let exact = analytical.gradient(p)
            let error = abs(numerical - exact) / max(1e-6, abs(numerical) + abs(exact))
            if abs(numerical) > 1e-9 || abs(exact) > 1e-9 {
                worst = max(worst, error)
                checked += 1
            }
        }
        #expect(checked > start.parameterCount / 2)
        // Central differences in Double leave about 1e-6 relative noise; a wrong term shows as 1e-1 or worse.
        #expect(worst < 1e-4, "largest relative gradient error \(worst)")
    }
}
