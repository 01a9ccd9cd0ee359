/// Order statistics by selection (Hoare's quickselect): linear time instead of a full sort, for
/// medians and quartiles over thousands of series.
enum Selection {
    /// The `k`-th smallest value (0-based) of `buffer`, which is reordered. `buffer` must not be empty.
    static func kthSmallest(_ buffer: UnsafeMutableBufferPointer<Double>, _ k: Int) -> Double {
        var low = 0, high = buffer.count - 1
        let target = min(max(k, 0), buffer.count - 1)
        while low < high {
            let middle = low + (high - low) / 2
            // Median of three as pivot keeps sorted input linear.
            let a = buffer[low], b = buffer[middle], c = buffer[high]
            let pivot = max(min(a, b), min(max(a, b), c))
            var i = low, j = high
            while i <= j {
                while buffer[i] < pivot { i += 1 }
                while buffer[j] > pivot { j -= 1 }
                if i <= j {
                    buffer.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if target <= j { high = j } else if target >= i { low = i } else { return buffer[target] }
        }
        return buffer[target]
    }

    /// Linear-interpolated quantile `q` in [0, 1]; reorders `buffer`.
    static func quantile(_ buffer: UnsafeMutableBufferPointer<Double>, _ q: Double) -> Double {
        let position = q * Double(buffer.count - 1)
        let lower = Int(position.rounded(.down))
        let fraction = position - Double(lower)
        let low = kthSmallest(buffer, lower)
        guard fraction > 0, lower + 1 < buffer.count else { return low }
        // After selection every value above `lower` is ≥ low; the next order statistic is their minimum.
        var next = Double.infinity
        for index in (lower + 1)..<buffer.count where buffer[index] < next { next = buffer[index] }
        return low + fraction * (next - low)
    }
}
