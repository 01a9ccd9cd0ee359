import Foundation

/// Fits the confidence model on outcomes: an L2-regularised logistic regression (Newton's method)
/// from each case's top-candidate evidence to whether that candidate was right.
package enum ConfidenceFitter {
    /// The model that best predicts `rows` (features in `ConfidenceModel.featureNames` order, and
    /// whether the top candidate was right). `ridge` shrinks the weights (not the intercept) towards 0.
    package static func fit(_ rows: [(features: [Double], right: Bool)], ridge: Double = 1) -> ConfidenceModel {
        let width = ConfidenceModel.featureNames.count + 1
        var beta = [Double](repeating: 0, count: width)
        guard !rows.isEmpty else { return ConfidenceModel(bias: 0, weights: []) }
        let inputs = rows.map { [1.0] + $0.features.prefix(width - 1) + [Double](repeating: 0, count: max(0, width - 1 - $0.features.count)) }
        for _ in 0..<50 {
            var gradient = [Double](repeating: 0, count: width)
            var hessian = [[Double]](repeating: [Double](repeating: 0, count: width), count: width)
            for (x, row) in zip(inputs, rows) {
                var z = 0.0
                for index in 0..<width { z += beta[index] * x[index] }
                let p = 1 / (1 + exp(-z))
                let error = p - (row.right ? 1 : 0)
                let curvature = max(p * (1 - p), 1e-9)
                for i in 0..<width {
                    gradient[i] += error * x[i]
                    for j in 0..<width { hessian[i][j] += curvature * x[i] * x[j] }
                }
            }
            for index in 1..<width {
                gradient[index] += ridge * beta[index]
                hessian[index][index] += ridge
            }
            hessian[0][0] += 1e-6
            guard let step = solve(hessian, gradient) else { break }
            var largest = 0.0
            for index in 0..<width {
                beta[index] -= step[index]
                largest = max(largest, abs(step[index]))
            }
            if largest < 1e-8 { break }
        }
        return ConfidenceModel(bias: beta[0], weights: Array(beta.dropFirst()))
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
