import Foundation

/// The floating-point types the LSTM runs in: `Float` for detection (twice the numbers per vector
/// register, and vectorised activation functions), `Double` for the gradient check, where finite
/// differences need the precision.
protocol LSTMScalar: BinaryFloatingPoint, SIMDScalar, Codable, Sendable {
    static func exponential(_ x: Self) -> Self
    /// Replaces each of `count` values by its logistic sigmoid.
    static func applySigmoid(_ values: UnsafeMutablePointer<Self>, count: Int)
    /// Replaces each of `count` values by its hyperbolic tangent.
    static func applyTanh(_ values: UnsafeMutablePointer<Self>, count: Int)
}

extension Float: LSTMScalar {
    @inline(__always) static func exponential(_ x: Float) -> Float { expf(x) }

    static func applySigmoid(_ values: UnsafeMutablePointer<Float>, count: Int) {
        forEachVector(values, count: count) { x in 1 / (1 + vectorExp(-x)) }
    }

    static func applyTanh(_ values: UnsafeMutablePointer<Float>, count: Int) {
        // tanh(x) = 2σ(2x) − 1; the absolute error near 0 is a few 1e-8, far below what training notices.
        forEachVector(values, count: count) { x in 2 / (1 + vectorExp(-2 * x)) - 1 }
    }

    /// Applies `body` to the values eight at a time; a short tail goes through a zero-padded vector.
    @inline(__always)
    private static func forEachVector(
        _ values: UnsafeMutablePointer<Float>, count: Int, _ body: (SIMD8<Float>) -> SIMD8<Float>
    ) {
        var i = 0
        let raw = UnsafeMutableRawPointer(values)
        while i + 8 <= count {
            let x = UnsafeRawPointer(values + i).loadUnaligned(as: SIMD8<Float>.self)
            raw.storeBytes(of: body(x), toByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        if i < count {
            var x = SIMD8<Float>()
            for k in 0..<(count - i) { x[k] = values[i + k] }
            let y = body(x)
            for k in 0..<(count - i) { values[i + k] = y[k] }
        }
    }
}

/// `exp` of eight floats at once (Cephes' single-precision method: x = n·ln2 + r, a degree-6
/// polynomial for e^r, 2^n by building the exponent bits). Relative error about 2e-7 over the
/// clamped range; libm's scalar `expf` would be a call per gate, most of an LSTM step.
@inline(__always)
func vectorExp(_ input: SIMD8<Float>) -> SIMD8<Float> {
    let x = pointwiseMax(pointwiseMin(input, SIMD8(repeating: 88)), SIMD8(repeating: -87))
    // Adding 1.5·2²³ rounds to an integer (ties to even) and leaves it in the low mantissa bits: both
    // the rounding and the float→int conversion without a call.
    let magic = SIMD8<Float>(repeating: 12_582_912)
    let shifted = x * 1.442_695_04 + magic
    let n = shifted - magic
    let r = x - n * 0.693_359_375 + n * 2.121_944_4e-4
    var p = SIMD8<Float>(repeating: 1.987_569_15e-4)
    p = p * r + 1.398_199_95e-3
    p = p * r + 8.333_451_9e-3
    p = p * r + 4.166_579_59e-2
    p = p * r + 1.666_666_55e-1
    p = p * r + 5.000_000_12e-1
    let e = p * (r * r) + r + 1
    let integer = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- unsafeBitCast(magic, to: SIMD8<Int32>.self)
    let scale = unsafeBitCast((integer &+ 127) &<< 23, to: SIMD8<Float>.self)
    return e * scale
}

extension Double: LSTMScalar {
    @inline(__always) static func exponential(_ x: Double) -> Double { exp(x) }

    static func applySigmoid(_ values: UnsafeMutablePointer<Double>, count: Int) {
        for k in 0..<count { values[k] = 1 / (1 + exp(-values[k])) }
    }

    static func applyTanh(_ values: UnsafeMutablePointer<Double>, count: Int) {
        for k in 0..<count { values[k] = tanh(values[k]) }
    }
}

/// Dot product of two vectors, with eight partial sums in a SIMD register: a plain loop is one long
/// dependency chain (the compiler may not reorder floating-point additions), eight times slower.
@inline(__always)
func dotProduct<Scalar: LSTMScalar>(_ a: UnsafePointer<Scalar>, _ b: UnsafePointer<Scalar>, count: Int) -> Scalar {
    var partial = SIMD8<Scalar>()
    var i = 0
    while i + 8 <= count {
        let x = UnsafeRawPointer(a + i).loadUnaligned(as: SIMD8<Scalar>.self)
        let y = UnsafeRawPointer(b + i).loadUnaligned(as: SIMD8<Scalar>.self)
        partial += x * y
        i += 8
    }
    var sum = partial.sum()
    while i < count {
        sum += a[i] * b[i]
        i += 1
    }
    return sum
}
