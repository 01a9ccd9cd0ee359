import Foundation

/// The floating-point types the LSTM runs in: `Float` for detection (twice the numbers per vector
/// register), `Double` for the gradient check, where finite differences need the precision.
protocol LSTMScalar: BinaryFloatingPoint, Sendable {
    static func exponential(_ x: Self) -> Self
    static func hyperbolicTangent(_ x: Self) -> Self
}

extension Float: LSTMScalar {
    @inline(__always) static func exponential(_ x: Float) -> Float { expf(x) }
    @inline(__always) static func hyperbolicTangent(_ x: Float) -> Float { tanhf(x) }
}

extension Double: LSTMScalar {
    @inline(__always) static func exponential(_ x: Double) -> Double { exp(x) }
    @inline(__always) static func hyperbolicTangent(_ x: Double) -> Double { tanh(x) }
}
