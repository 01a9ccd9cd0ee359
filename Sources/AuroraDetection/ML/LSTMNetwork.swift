import AuroraCore
import Foundation

/// A one-layer LSTM with a linear read-out predicting the next standardised value, trained by
/// truncated back-propagation through time over chunks of `chunkLength` steps with Adam.
///
/// The read-out predicts the *change* from the current value (`prediction = current + w·h + b`), so an
/// untrained network already forecasts "no change" and learning only has to add what persistence
/// misses.
///
/// Everything the network holds (parameters, gradients, Adam moments, recurrent state and the cache of
/// the current chunk) lives in one flat `storage` array at fixed offsets, so saving is one copy and
/// the hot loops run over a single pointer. Gate weights are stored input-major — for each input
/// component, the 4·hidden gate weights are contiguous — so the gate loop is a vectorisable axpy.
/// Gate order: input, forget, output, candidate.
struct LSTMNetwork<Scalar: LSTMScalar>: Sendable {
    let inputSize: Int
    let hiddenSize: Int
    let chunkLength: Int
    var learningRate: Scalar
    var gradientClip: Scalar
    let beta1: Scalar = 0.9
    let beta2: Scalar = 0.999
    let epsilon: Scalar = 1e-8

    private(set) var storage: [Scalar]
    /// Steps of the current chunk already run forward and given their target.
    private(set) var filled = 0
    /// Whether the step in slot `filled` has run forward and awaits its target.
    private(set) var awaitingTarget = false
    /// Adam updates so far (for bias correction).
    private(set) var updates = 0

    // Offsets into `storage`.
    var gateSize: Int { 4 * hiddenSize }
    var concatSize: Int { inputSize + hiddenSize }
    var parameterCount: Int { concatSize * gateSize + gateSize + hiddenSize + 1 }
    private var biasOffset: Int { concatSize * gateSize }
    private var readOutOffset: Int { biasOffset + gateSize }
    private var readOutBiasOffset: Int { readOutOffset + hiddenSize }
    private var gradientOffset: Int { parameterCount }
    private var momentOffset: Int { 2 * parameterCount }
    private var varianceOffset: Int { 3 * parameterCount }
    private var hiddenOffset: Int { 4 * parameterCount }
    private var cellOffset: Int { hiddenOffset + hiddenSize }
    private var cacheInputOffset: Int { cellOffset + hiddenSize }
    private var cacheGateOffset: Int { cacheInputOffset + chunkLength * concatSize }
    private var cachePreviousCellOffset: Int { cacheGateOffset + chunkLength * gateSize }
    private var cacheCellTanhOffset: Int { cachePreviousCellOffset + chunkLength * hiddenSize }
    private var cacheHiddenOffset: Int { cacheCellTanhOffset + chunkLength * hiddenSize }
    private var cachePredictionOffset: Int { cacheHiddenOffset + chunkLength * hiddenSize }
    private var cacheTargetOffset: Int { cachePredictionOffset + chunkLength }
    private var scratchGateOffset: Int { cacheTargetOffset + chunkLength }
    private var scratchHiddenOffset: Int { scratchGateOffset + gateSize }
    private var scratchCellOffset: Int { scratchHiddenOffset + hiddenSize }
    private var storageCount: Int { scratchCellOffset + hiddenSize }

    /// A network with weights drawn uniformly from ±1/√hidden (seeded) and forget-gate biases at 1,
    /// the usual start that lets the cell remember before it has learnt what to forget.
    init(inputSize: Int, hiddenSize: Int, chunkLength: Int, learningRate: Scalar, gradientClip: Scalar, seed: UInt64) {
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.chunkLength = chunkLength
        self.learningRate = learningRate
        self.gradientClip = gradientClip
        storage = []
        storage = [Scalar](repeating: 0, count: storageCount)
        var generator = Xoshiro256(seed: seed)
        let scale = 1 / Scalar(hiddenSize).squareRoot()
        for k in 0..<biasOffset { storage[k] = (2 * Scalar(generator.nextUnit()) - 1) * scale }
        for k in 0..<hiddenSize { storage[biasOffset + hiddenSize + k] = 1 }
        for k in 0..<hiddenSize { storage[readOutOffset + k] = (2 * Scalar(generator.nextUnit()) - 1) * scale }
    }

    /// Runs one step on `input` (`inputSize` values) and returns the forecast of the next value,
    /// `current` plus the predicted change. The step is cached for back-propagation.
    mutating func forward(input: UnsafePointer<Scalar>, current: Scalar) -> Scalar {
        let I = inputSize, H = hiddenSize, G = gateSize, C = concatSize
        let slot = filled
        let biasOffset = biasOffset, hiddenOffset = hiddenOffset, cellOffset = cellOffset
        let inputCache = cacheInputOffset + slot * C
        let gateCache = cacheGateOffset + slot * G
        let previousCell = cachePreviousCellOffset + slot * H
        let cellTanh = cacheCellTanhOffset + slot * H
        let hiddenCache = cacheHiddenOffset + slot * H
        let readOut = readOutOffset, readOutBias = readOutBiasOffset
        let prediction: Scalar = storage.withUnsafeMutableBufferPointer { buffer in
            guard let s = buffer.baseAddress else { return current }
            let v = s + inputCache
            for k in 0..<I { v[k] = input[k] }
            for k in 0..<H { v[I + k] = s[hiddenOffset + k] }
            let gates = s + gateCache
            for g in 0..<G { gates[g] = s[biasOffset + g] }
            for j in 0..<C {
                let x = v[j]
                let row = s + j * G
                for g in 0..<G { gates[g] += row[g] * x }
            }
            Scalar.applySigmoid(gates, count: 3 * H)
            Scalar.applyTanh(gates + 3 * H, count: H)
            for k in 0..<H {
                let cPrev = s[cellOffset + k]
                s[previousCell + k] = cPrev
                let c = gates[H + k] * cPrev + gates[k] * gates[3 * H + k]
                s[cellOffset + k] = c
                s[cellTanh + k] = c
            }
            Scalar.applyTanh(s + cellTanh, count: H)
            for k in 0..<H {
                let h = gates[2 * H + k] * s[cellTanh + k]
                s[hiddenCache + k] = h
                s[hiddenOffset + k] = h
            }
            return current + s[readOutBias] + dotProduct(s + readOut, s + hiddenCache, count: H)
        }
        storage[cachePredictionOffset + slot] = prediction
        awaitingTarget = true
        return prediction
    }

    /// Gives the last forward step its target; returns true when this completes the chunk (call
    /// `learnFromChunk()` then).
    mutating func recordTarget(_ target: Scalar) -> Bool {
        guard awaitingTarget else { return false }
        storage[cacheTargetOffset + filled] = target
        filled += 1
        awaitingTarget = false
        return filled == chunkLength
    }

    /// The forecast of the step awaiting its target.
    var pendingPrediction: Scalar { storage[cachePredictionOffset + filled] }

    /// Mean half squared error over the steps of the chunk that have targets.
    func chunkLoss() -> Scalar {
        guard filled > 0 else { return 0 }
        var loss: Scalar = 0
        for s in 0..<filled {
            let e = storage[cachePredictionOffset + s] - storage[cacheTargetOffset + s]
            loss += e * e / 2
        }
        return loss / Scalar(chunkLength)
    }

    /// Back-propagates the chunk's loss through its steps into the gradient slots (the state entering
    /// the chunk is held constant: truncation). Returns the gradients' global norm.
    @discardableResult
    mutating func computeGradients() -> Scalar {
        let I = inputSize, H = hiddenSize, G = gateSize, C = concatSize, P = parameterCount
        let steps = filled, K = chunkLength
        let gradientOffset = gradientOffset, biasOffset = biasOffset
        let readOut = readOutOffset, readOutBias = readOutBiasOffset
        let cacheInputOffset = cacheInputOffset, cacheGateOffset = cacheGateOffset
        let cachePreviousCellOffset = cachePreviousCellOffset, cacheCellTanhOffset = cacheCellTanhOffset
        let cacheHiddenOffset = cacheHiddenOffset, cachePredictionOffset = cachePredictionOffset
        let cacheTargetOffset = cacheTargetOffset
        let scratchGateOffset = scratchGateOffset, scratchHiddenOffset = scratchHiddenOffset
        let scratchCellOffset = scratchCellOffset
        return storage.withUnsafeMutableBufferPointer { buffer -> Scalar in
            guard let s = buffer.baseAddress else { return 0 }
            let grad = s + gradientOffset
            for p in 0..<P { grad[p] = 0 }
            let dGates = s + scratchGateOffset
            let dHiddenNext = s + scratchHiddenOffset
            let dCellNext = s + scratchCellOffset
            for k in 0..<H {
                dHiddenNext[k] = 0
                dCellNext[k] = 0
            }
            var step = steps - 1
            while step >= 0 {
                let v = s + cacheInputOffset + step * C
                let gates = s + cacheGateOffset + step * G
                let cPrev = s + cachePreviousCellOffset + step * H
                let cTanh = s + cacheCellTanhOffset + step * H
                let h = s + cacheHiddenOffset + step * H
                let dy = (s[cachePredictionOffset + step] - s[cacheTargetOffset + step]) / Scalar(K)
                grad[readOutBias] += dy
                for k in 0..<H {
                    grad[readOut + k] += dy * h[k]
                    let dh = dy * s[readOut + k] + dHiddenNext[k]
                    let i = gates[k], f = gates[H + k], o = gates[2 * H + k], u = gates[3 * H + k]
                    let t = cTanh[k]
                    let dc = dh * o * (1 - t * t) + dCellNext[k]
                    dGates[k] = dc * u * i * (1 - i)
                    dGates[H + k] = dc * cPrev[k] * f * (1 - f)
                    dGates[2 * H + k] = dh * t * o * (1 - o)
                    dGates[3 * H + k] = dc * i * (1 - u * u)
                    dCellNext[k] = dc * f
                }
                for j in 0..<C {
                    let x = v[j]
                    let row = grad + j * G
                    for g in 0..<G { row[g] += dGates[g] * x }
                }
                for g in 0..<G { grad[biasOffset + g] += dGates[g] }
                for k in 0..<H { dHiddenNext[k] = dotProduct(s + (I + k) * G, dGates, count: G) }
                step -= 1
            }
            return dotProduct(grad, grad, count: P).squareRoot()
        }
    }

    /// Learns from the completed chunk: gradients, clipping to the global norm `gradientClip` (one
    /// surprising chunk must not wreck what was learnt), an Adam step, and a fresh chunk.
    mutating func learnFromChunk() {
        let norm = computeGradients()
        updates += 1
        let P = parameterCount
        let clip: Scalar = norm > gradientClip && norm > 0 ? gradientClip / norm : 1
        let b1 = beta1, b2 = beta2, eps = epsilon
        let correction1 = 1 - Scalar.exponential(Scalar(updates) * Self.logarithm(beta1))
        let correction2 = 1 - Scalar.exponential(Scalar(updates) * Self.logarithm(beta2))
        let stepSize = learningRate * correction2.squareRoot() / correction1
        let gradientOffset = gradientOffset, momentOffset = momentOffset, varianceOffset = varianceOffset
        storage.withUnsafeMutableBufferPointer { buffer in
            guard let s = buffer.baseAddress else { return }
            // Eight parameters at a time: the loop has a square root and a division per parameter.
            let raw = UnsafeMutableRawPointer(s)
            let size = MemoryLayout<Scalar>.stride
            func load(_ offset: Int) -> SIMD8<Scalar> {
                UnsafeRawPointer(s + offset).loadUnaligned(as: SIMD8<Scalar>.self)
            }
            var p = 0
            while p + 8 <= P {
                let g = load(gradientOffset + p) * clip
                let m = b1 * load(momentOffset + p) + (1 - b1) * g
                let v = b2 * load(varianceOffset + p) + (1 - b2) * g * g
                let updated = load(p) - stepSize * m / (v.squareRoot() + eps)
                raw.storeBytes(of: m, toByteOffset: (momentOffset + p) * size, as: SIMD8<Scalar>.self)
                raw.storeBytes(of: v, toByteOffset: (varianceOffset + p) * size, as: SIMD8<Scalar>.self)
                raw.storeBytes(of: updated, toByteOffset: p * size, as: SIMD8<Scalar>.self)
                p += 8
            }
            let grad = s + gradientOffset, m = s + momentOffset, v = s + varianceOffset
            while p < P {
                let g = grad[p] * clip
                m[p] = b1 * m[p] + (1 - b1) * g
                v[p] = b2 * v[p] + (1 - b2) * g * g
                s[p] -= stepSize * m[p] / (v[p].squareRoot() + eps)
                p += 1
            }
        }
        filled = 0
    }

    private static func logarithm(_ x: Scalar) -> Scalar {
        // ln for the two Adam decay constants, via Double (called once per chunk).
        Scalar(Foundation.log(Double(x)))
    }

    func parameter(_ index: Int) -> Scalar { storage[index] }
    mutating func setParameter(_ index: Int, _ value: Scalar) { storage[index] = value }
    func gradient(_ index: Int) -> Scalar { storage[gradientOffset + index] }

    /// Replaces the whole storage (restoring saved state); false when the size does not fit this shape.
    mutating func restore(storage saved: [Scalar], filled: Int, awaitingTarget: Bool, updates: Int) -> Bool {
        guard saved.count == storageCount, (0..<chunkLength).contains(filled), updates >= 0 else { return false }
        storage = saved
        self.filled = filled
        self.awaitingTarget = awaitingTarget
        self.updates = updates
        return true
    }
}
