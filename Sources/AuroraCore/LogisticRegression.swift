import Foundation

/// An L2-regularised logistic regression fitted by Newton's method: the probability of an outcome
/// from a few features. Diagnosis fits its confidence with it, detection its events' confidence.
package struct LogisticRegression: Sendable, Equatable {
    /// Intercept.
    package var bias: Double
    /// One weight per feature.
    package var weights: [Double]

    /// A model from its intercept and weights.
    package init(bias: Double, weights: [Double]) {
        self.bias = bias
        self.weights = weights
    }

    /// The probability of the outcome for `features` (missing features count as 0, extra ones are ignored).
    package func probability(_ features: [Double]) -> Double {
        var z = bias
        for (weight, feature) in zip(weights, features) { z += weight * feature }
        return 1 / (1 + exp(-z))
    }

    /// The model that best predicts `rows` with `width` features each (shorter rows are padded with 0,
    /// longer ones cut). `ridge` shrinks the weights, not the intercept, towards 0, so a feature the
    /// outcomes barely support stays small. An empty `rows` gives the model that says 0.5.
    package static func fit(_ rows: [(features: [Double], outcome: Bool)], width: Int, ridge: Double = 1) -> LogisticRegression {
        let size = width + 1
        var beta = [Double](repeating: 0, count: size)
        guard !rows.isEmpty else { return LogisticRegression(bias: 0, weights: [Double](repeating: 0, count: width)) }
        let inputs = rows.map { [1.0] + $0.features.prefix(width) + [Double](repeating: 0, count: max(0, width - $0.features.count)) }
        for _ in 0..<50 {
            var gradient = [Double](repeating: 0, count: size)
            var hessian = [[Double]](repeating: [Double](repeating: 0, count: size), count: size)
            for (x, row) in zip(inputs, rows) {
                var z = 0.0
                for index in 0..<size { z += beta[index] * x[index] }
                let p = 1 / (1 + exp(-z))
                let error = p - (row.outcome ? 1 : 0)
                let curvature = max(p * (1 - p), 1e-9)
                for i in 0..<size {
                    gradient[i] += error * x[i]
                    for j in 0..<size { hessian[i][j] += curvature * x[i] * x[j] }
                }
            }
            for index in 1..<size {
                gradient[index] += ridge * beta[index]
                hessian[index][index] += ridge
            }
            hessian[0][0] += 1e-6
            guard let step = solve(hessian, gradient) else { break }
            var largest = 0.0
            for index in 0..<size {
                beta[index] -= step[index]
                largest = max(largest, abs(step[index]))
            }
            if largest < 1e-8 { break }
        }
        return LogisticRegression(bias: beta[0], weights: Array(beta.dropFirst()))
    }

    /// Solves `a · x = b` by Gaussian elimination with partial pivoting; nil when singular.
    static func solve(_ a: [[Double]], _ b: [Double]) -> [Double]? {
        var m = a
        var v = b
        let n = v.count
        for column in 0..<n {
            guard let pivot = (column..<n).max(by: { abs(m[$0][column]) < abs(m[$1][column]) }), abs(m[pivot][column]) > 1e-12 else {
                return nil
            }
            m.swapAt(column, pivot)
            v.swapAt(column, pivot)
            for row in (column + 1)..<n {
                let factor = m[row][column] / m[column][column]
                guard factor != 0 else { continue }
                for k in column..<n { m[row][k] -= factor * m[column][k] }
                v[row] -= factor * v[column]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for row in stride(from: n - 1, through: 0, by: -1) {
            var sum = v[row]
            for k in (row + 1)..<n { sum -= m[row][k] * x[k] }
            x[row] = sum / m[row][row]
        }
        return x
    }
}
