import AuroraCore
import Foundation

/// One node of an isolation tree, 12 bytes so a whole tree of 256 leaves stays in a few KB of cache.
///
/// An inner node sends a row left when `row[feature] < value`; its children sit at `left` and
/// `left + 1`. A leaf has `feature == -1` and `value` holds its path length: depth plus the expected
/// depth of the points it did not separate (`c(size)`), as in Liu, Ting & Zhou (2008).
struct IsolationNode: Sendable, Equatable {
    var feature: Int32
    var left: Int32
    var value: Float
}

/// An isolation forest over rows of `Float` features, stored as one flat node array.
struct IsolationForest: Sendable {
    private(set) var nodes: [IsolationNode] = []
    private(set) var roots: [Int32] = []
    /// `c(ψ)`: the average path length of an unsuccessful search in a binary tree of the subsample size.
    private(set) var normaliser: Float = 1
    let featureStride: Int
    /// `c(n)` for n in 0...subsample, used while growing.
    private var pathLengths: [Float] = []

    /// Grows `treeCount` trees, each on `subsampleSize` rows drawn without replacement.
    ///
    /// Trees are cut at depth ⌈log₂ ψ⌉ as in the paper: anomalies are isolated above that depth, and
    /// going deeper only separates normal points from each other.
    init(
        rows: UnsafeBufferPointer<Float>, rowCount: Int, featureStride: Int, activeFeatures: [Int32],
        treeCount: Int, subsampleSize: Int, generator: inout Xoshiro256
    ) {
        self.featureStride = featureStride
        let sample = max(1, min(subsampleSize, rowCount))
        normaliser = max(Float(Self.averagePathLength(sample)), 1)
        guard rowCount > 0, !activeFeatures.isEmpty else { return }
        // c(size) for every leaf size up to the sample: one logarithm per size instead of per leaf.
        pathLengths = (0...sample).map { Float(Self.averagePathLength($0)) }
        var depthLimit = 0
        while (1 << depthLimit) < sample { depthLimit += 1 }
        var indices = (0..<Int32(rowCount)).map { $0 }
        var work = [Int32](repeating: 0, count: sample)
        var scratch = [Int32](repeating: 0, count: 2 * sample)
        // The sampled rows' active features, gathered feature-major into a few KB per tree: growing
        // then scans contiguous, cache-resident columns instead of strided rows across the reservoir.
        var columns = [Float](repeating: 0, count: activeFeatures.count * sample)
        var order = (0..<Int32(activeFeatures.count)).map { $0 }
        nodes.reserveCapacity(treeCount * (2 * sample - 1) / 2)
        roots.reserveCapacity(treeCount)
        for _ in 0..<treeCount {
            // Partial Fisher–Yates: the first `sample` slots become a uniform sample without replacement.
            columns.withUnsafeMutableBufferPointer { columnBuffer in
                indices.withUnsafeMutableBufferPointer { indexBuffer in
                    for k in 0..<sample {
                        let pick = k + Self.below(rowCount - k, &generator)
                        indexBuffer.swapAt(k, pick)
                        let row = Int(indexBuffer[k]) * featureStride
                        for column in 0..<activeFeatures.count {
                            columnBuffer[column * sample + k] = rows[row + Int(activeFeatures[column])]
                        }
                        work[k] = Int32(k)
                    }
                }
            }
            let root = Int32(nodes.count)
            roots.append(root)
            nodes.append(IsolationNode(feature: -1, left: 0, value: 0))
            work.withUnsafeMutableBufferPointer { workBuffer in
                scratch.withUnsafeMutableBufferPointer { scratchBuffer in
                    columns.withUnsafeBufferPointer { columnBuffer in
                        guard let columnBase = columnBuffer.baseAddress, let workBase = workBuffer.baseAddress,
                              let scratchBase = scratchBuffer.baseAddress else { return }
                        grow(node: Int(root), columns: columnBase, sample: sample, work: workBase,
                             lowScratch: scratchBase, highScratch: scratchBase + sample, range: 0..<sample, depth: 0,
                             depthLimit: depthLimit, order: &order, features: activeFeatures, generator: &generator)
                    }
                }
            }
        }
    }

    private mutating func grow(
        node: Int, columns: UnsafePointer<Float>, sample: Int, work: UnsafeMutablePointer<Int32>,
        lowScratch: UnsafeMutablePointer<Int32>, highScratch: UnsafeMutablePointer<Int32>,
        range: Range<Int>, depth: Int, depthLimit: Int, order: inout [Int32], features: [Int32],
        generator: inout Xoshiro256
    ) {
        let size = range.count
        let leaf = IsolationNode(feature: -1, left: 0, value: Float(depth) + pathLengths[size])
        guard depth < depthLimit, size > 1 else {
            nodes[node] = leaf
            return
        }
        // Try the features in a random order until one still varies within this node.
        var remaining = order.count
        while remaining > 0 {
            let pickIndex = Self.below(remaining, &generator)
            order.swapAt(pickIndex, remaining - 1)
            remaining -= 1
            let column = Int(order[remaining])
            let values = columns + column * sample
            var low = Float.infinity
            var high = -Float.infinity
            for k in range {
                let x = values[Int(work[k])]
                low = min(low, x)
                high = max(high, x)
            }
            guard high > low else { continue }
            var split = low + Float(generator.nextUnit()) * (high - low)
            if !(split > low) { split = low + (high - low) / 2 }
            if !(split > low) { split = high }
            // Partition the node's rows, those below the split first, without branches: a random split
            // makes the branch unpredictable, and mispredictions were most of the growing time.
            var below = 0
            var above = 0
            for k in range {
                let row = work[k]
                let isBelow = values[Int(row)] < split
                lowScratch[below] = row
                highScratch[above] = row
                below &+= isBelow ? 1 : 0
                above &+= isBelow ? 0 : 1
            }
            let boundary = range.lowerBound + below
            for k in 0..<below { work[range.lowerBound + k] = lowScratch[k] }
            for k in 0..<above { work[boundary + k] = highScratch[k] }
            let left = nodes.count
            nodes.append(leaf)
            nodes.append(leaf)
            nodes[node] = IsolationNode(feature: features[column], left: Int32(left), value: split)
            grow(node: left, columns: columns, sample: sample, work: work, lowScratch: lowScratch, highScratch: highScratch,
                 range: range.lowerBound..<boundary,
                 depth: depth + 1, depthLimit: depthLimit, order: &order, features: features, generator: &generator)
            grow(node: left + 1, columns: columns, sample: sample, work: work, lowScratch: lowScratch,
                 highScratch: highScratch, range: boundary..<range.upperBound,
                 depth: depth + 1, depthLimit: depthLimit, order: &order, features: features, generator: &generator)
            return
        }
        nodes[node] = leaf
    }

    /// Writes the anomaly score `2^(-E(h)/c(ψ))` of each row, in (0, 1]: near 1 is isolated at once,
    /// about 0.5 or below is ordinary.
    ///
    /// Rows are walked tree by tree rather than row by row: one tree's nodes stay hot in cache for the
    /// whole block.
    func score(rows: UnsafePointer<Float>, rowCount: Int, into out: UnsafeMutablePointer<Float>) {
        guard rowCount > 0 else { return }
        for r in 0..<rowCount { out[r] = 0 }
        guard !roots.isEmpty else {
            for r in 0..<rowCount { out[r] = 0.5 }
            return
        }
        let stride = featureStride
        nodes.withUnsafeBufferPointer { nodeBuffer in
            guard let base = nodeBuffer.baseAddress else { return }
            for root in roots {
                for r in 0..<rowCount {
                    let row = rows + r * stride
                    var index = Int(root)
                    var node = base[index]
                    while node.feature >= 0 {
                        index = Int(node.left) + (row[Int(node.feature)] < node.value ? 0 : 1)
                        node = base[index]
                    }
                    out[r] += node.value
                }
            }
        }
        let scale = -1 / (Float(roots.count) * normaliser)
        for r in 0..<rowCount { out[r] = exp2f(out[r] * scale) }
    }

    /// A uniform integer in 0..<bound by multiply-high (Lemire): a 64-bit division per draw would cost
    /// more than the rest of the sampling. The bias, at most bound/2⁶⁴, is immaterial here.
    @inline(__always)
    static func below(_ bound: Int, _ generator: inout Xoshiro256) -> Int {
        Int(truncatingIfNeeded: generator.next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// `c(n)`: the average path length of an unsuccessful binary-search-tree search among `n` points.
    static func averagePathLength(_ n: Int) -> Double {
        if n <= 1 { return 0 }
        if n == 2 { return 1 }
        let m = Double(n - 1)
        let harmonic = log(m) + 0.577_215_664_901_532_9
        return 2 * harmonic - 2 * m / Double(n)
    }
}
