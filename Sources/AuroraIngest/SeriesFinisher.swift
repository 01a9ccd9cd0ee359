import AuroraCore

/// Turns a series' raw points into the stored form: sorted, one value per timestamp (the last one
/// written wins), counters (declared, or recognised by their shape) turned into rates when asked, with
/// step and gaps measured for the report.
enum SeriesFinisher {
    static func finish(_ builder: inout SeriesBuilder, options: IngestOptions) -> (Series, SeriesReport) {
        // Move the arrays out so sorting and dedupe work in place instead of copying.
        var timestamps: [Int64] = []
        var values: [Double] = []
        swap(&timestamps, &builder.timestamps)
        swap(&values, &builder.values)
        var duplicates = 0
        var resets = 0
        var isRate = false
        var counter: CounterEvidence?
        if !options.keepFileOrder {
            if !builder.inOrder { sortByTime(&timestamps, &values) }
            duplicates = dedupe(&timestamps, &values)
            // Judged even without `rate`, so that the commands can say which series would want it.
            counter = builder.isCounter ? .declared : CounterShape.verdict(values) == .cumulative ? .shape : nil
            if options.rate && counter != nil {
                resets = rate(&timestamps, &values)
                isRate = true
            }
        }
        // A rate is another series than the counter it comes from, as a Prometheus recording rule's
        // output is: stored under the counter's name, its rates would overwrite the raw values an
        // earlier `aurora ingest` kept there, and the two would be scored as one series.
        let key = isRate ? RatedSeries.key(of: builder.key) : builder.key
        var report = SeriesReport(
            key: key, service: builder.key[label: options.serviceLabel], points: timestamps.count,
            skippedNonFinite: builder.nonFinite, skippedOutsideWindow: builder.outsideWindow, duplicates: duplicates,
            wasSorted: !builder.inOrder && !options.keepFileOrder, counter: counter, isRate: isRate, counterResets: resets, step: nil,
            first: options.keepFileOrder ? timestamps.min() : timestamps.first,
            last: options.keepFileOrder ? timestamps.max() : timestamps.last,
            gapCount: 0, gaps: [], inputs: builder.inputs)
        if !options.keepFileOrder, let step = inferStep(timestamps) {
            report.step = step
            (report.gapCount, report.gaps) = findGaps(timestamps, step: step)
        }
        return (Series(key: key, timestamps: timestamps, values: values), report)
    }


    /// Stable sort by timestamp (equal timestamps keep file order, so "last wins" stays true).
    static func sortByTime(_ timestamps: inout [Int64], _ values: inout [Double]) {
        var order = Array(0..<timestamps.count)
        timestamps.withUnsafeBufferPointer { times in
            order.sort { times[$0] != times[$1] ? times[$0] < times[$1] : $0 < $1 }
        }
        let sortedTimes = order.map { timestamps[$0] }
        let sortedValues = order.map { values[$0] }
        timestamps = sortedTimes
        values = sortedValues
    }

    /// Keeps the last value of each run of equal timestamps; returns how many were dropped.
    static func dedupe(_ timestamps: inout [Int64], _ values: inout [Double]) -> Int {
        let count = timestamps.count
        guard count > 1 else { return 0 }
        var write = 0
        timestamps.withUnsafeMutableBufferPointer { times in
            values.withUnsafeMutableBufferPointer { vals in
                for read in 1..<count {
                    if times[read] == times[write] {
                        vals[write] = vals[read]
                    } else {
                        write += 1
                        times[write] = times[read]
                        vals[write] = vals[read]
                    }
                }
            }
        }
        let kept = write + 1
        if kept < count {
            timestamps.removeLast(count - kept)
            values.removeLast(count - kept)
        }
        return count - kept
    }

    /// Per-second rate of a counter between consecutive points; a decrease is a reset, after which
    /// the increase is the new value itself (as Prometheus' `rate` counts it). The first point has no
    /// rate and is dropped. Returns the number of resets.
    static func rate(_ timestamps: inout [Int64], _ values: inout [Double]) -> Int {
        guard timestamps.count > 1 else {
            timestamps = []
            values = []
            return 0
        }
        var resets = 0
        var rates: [Double] = []
        rates.reserveCapacity(values.count - 1)
        for index in 1..<values.count {
            var increase = values[index] - values[index - 1]
            if increase < 0 {
                increase = values[index]
                resets += 1
            }
            let seconds = Double(timestamps[index] - timestamps[index - 1]) / 1000
            rates.append(increase / seconds)
        }
        timestamps.removeFirst()
        values = rates
        return resets
    }

    /// The median spacing between points. Exact through a histogram of spacings while they are few
    /// (regular series have one or two), else from an evenly spaced sample of at most 100k spacings,
    /// so a 20M-point series needs no copy of its spacings.
    static func inferStep(_ timestamps: [Int64]) -> Int64? {
        let count = timestamps.count
        guard count > 1 else { return nil }
        var histogram: [Int64: Int] = [:]
        var exact = true
        // Runs of equal spacings are counted locally: a regular series touches the dictionary rarely.
        var runSpacing = timestamps[1] - timestamps[0]
        var runLength = 0
        timestamps.withUnsafeBufferPointer { times in
            for index in 1..<count {
                let spacing = times[index] - times[index - 1]
                if spacing == runSpacing {
                    runLength += 1
                    continue
                }
                histogram[runSpacing, default: 0] += runLength
                runSpacing = spacing
                runLength = 1
                if histogram.count > 4096 {
                    exact = false
                    break
                }
            }
        }
        if exact { histogram[runSpacing, default: 0] += runLength }
        if exact {
            var remaining = (count - 1) / 2
            for (spacing, seen) in histogram.sorted(by: { $0.key < $1.key }) {
                if remaining < seen { return max(spacing, 1) }
                remaining -= seen
            }
            return nil
        }
        let stride = max(1, (count - 1) / 100_000)
        var sample: [Int64] = []
        var index = 1
        while index < count {
            sample.append(timestamps[index] - timestamps[index - 1])
            index += stride
        }
        sample.sort()
        return max(sample[sample.count / 2], 1)
    }

    /// Spacings over 1.5 steps are gaps.
    static func findGaps(_ timestamps: [Int64], step: Int64) -> (Int, [SeriesGap]) {
        var total = 0
        var kept: [SeriesGap] = []
        let limit = step + step / 2
        for index in 1..<max(timestamps.count, 1) where timestamps[index] - timestamps[index - 1] > limit {
            total += 1
            if kept.count < SeriesReport.keptGaps {
                let spacing = timestamps[index] - timestamps[index - 1]
                let missing = Int((Double(spacing) / Double(step)).rounded()) - 1
                kept.append(SeriesGap(after: timestamps[index - 1], before: timestamps[index], missingPoints: max(missing, 1)))
            }
        }
        return (total, kept)
    }
}
