import AuroraCore
import Foundation

/// One node of an isolation tree, 16 bytes so a whole tree of 256 leaves stays in a few KB of cache.
///
/// An inner node sends a row left when `row[feature] < split`; its children sit at `left` and
/// `left + 1`. A leaf points at itself with an infinite split, so a walk of exactly the depth limit
/// ends on it whatever its depth (no data-dependent loop exit, so several rows can be walked at
/// once), and `pathLength` holds its depth plus the expected depth of the points it did not
/// separate (`c(size)`), as in Liu, Ting & Zhou (2008).
struct IsolationNode: Sendable, Equatable {
    var feature: Int32
    var left: Int32
    var split: Float
    var pathLength: Float

    static func leaf(at index: Int, pathLength: Float) -> IsolationNode {
        IsolationNode(feature: 0, left: Int32(index), split: .infinity, pathLength: pathLength)
    }
}

/// An isolation forest over rows of `Float` features, stored as one flat node array.
struct IsolationForest: Sendable {
    private(set) var nodes: [IsolationNode] = []
    private(set) var roots: [Int32] = []
    /// `c(ψ)`: the average path length of an unsuccessful search in a binary tree of the subsample size.
    private(set) var normaliser: Float = 1
    let featureStride: Int
    /// Height limit ⌈log₂ ψ⌉: every walk ends on a leaf within this many steps.
    private(set) var depthLimit = 0
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
            nodes.append(IsolationNode.leaf(at: Int(root), pathLength: 0))
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
        let leaf = IsolationNode.leaf(at: node, pathLength: Float(depth) + pathLengths[size])
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
            // Plain comparisons (features are finite): `min`/`max` would add NaN handling per row.
            for k in range {
                let x = values[Int(work[k])]
                low = x < low ? x : low
                high = x > high ? x : high
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
            nodes[node] = IsolationNode(feature: features[column], left: Int32(left), split: split, pathLength: 0)
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
        let depth = depthLimit
        nodes.withUnsafeBufferPointer { nodeBuffer in
            guard let base = nodeBuffer.baseAddress else { return }
            for root in roots {
                // Four rows walk the tree in lockstep for exactly `depth` steps: their loads are
                // independent, so the processor overlaps them instead of waiting on each in turn.
                var r = 0
                while r + 4 <= rowCount {
                    let row0 = rows + r * stride, row1 = row0 + stride, row2 = row1 + stride, row3 = row2 + stride
                    var i0 = Int(root), i1 = i0, i2 = i0, i3 = i0
                    for _ in 0..<depth {
                        let n0 = base[i0], n1 = base[i1], n2 = base[i2], n3 = base[i3]
                        i0 = Int(n0.left) &+ (row0[Int(n0.feature)] < n0.split ? 0 : 1)
                        i1 = Int(n1.left) &+ (row1[Int(n1.feature)] < n1.split ? 0 : 1)
                        i2 = Int(n2.left) &+ (row2[Int(n2.feature)] < n2.split ? 0 : 1)
                        i3 = Int(n3.left) &+ (row3[Int(n3.feature)] < n3.split ? 0 : 1)
                    }
                    out[r] += base[i0].pathLength
                    out[r + 1] += base[i1].pathLength
                    out[r + 2] += base[i2].pathLength
                    out[r + 3] += base[i3].pathLength
                    r += 4
                }
                while r < rowCount {
                    let row = rows + r * stride
                    var index = Int(root)
                    for _ in 0..<depth {
                        let node = base[index]
                        index = Int(node.left) &+ (row[Int(node.feature)] < node.split ? 0 : 1)
                    }
                    out[r] += base[index].pathLength
                    r += 1
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
