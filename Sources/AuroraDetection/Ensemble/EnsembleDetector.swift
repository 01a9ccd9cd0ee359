import AuroraCore

/// The ensemble voter: runs its members over the same points, combines their scores with weights
/// into one score and a confidence, decides each point by threshold and quorum, and coalesces
/// anomalous points into `AnomalyEvent`s.
///
/// Members score a whole block into their own buffer first (one indirect call per member per
/// block, not per point), then one loop combines the buffers.
package struct EnsembleDetector: Detector {
    /// How the members' votes are combined.
    ///
    /// Each member's score `s` is first weighed by its novelty `n = u / (u + m)`, where `u` is the
    /// member's deviation (`sqrt(s / (1 − s))`, the inverse of its score mapping) and `m` the largest
    /// deviation it saw over the last `noveltyHorizon` points: a deviation as large as the largest
    /// recent one has novelty 0.5, a much larger one close to 1, a routine one close to 0. Noisy
    /// series thus stop paging for their usual spikes while a quiet series that moves stands out,
    /// whatever its scale. An infinite deviation (a constant series that changes) is not remembered
    /// as the yardstick, or every later finite deviation would have novelty 0. The yardstick rises
    /// only as large deviations recur (`noveltyGrowth`): one huge first fault does not make the
    /// smaller faults that follow it routine. A value that has stayed enormously far from the
    /// series' normal range (`magnitudeFrom`) keeps its weight however often it recurs: the
    /// weight is at least the `SustainedMagnitude` floor. A deviation that has lasted
    /// (`sustainedFrom`) is also judged against the deviations that lasted before it, not against
    /// one-point spikes (`SustainedDeviation`): the weight is the larger novelty. The member's
    /// contribution is `n × s`; the combined score is their weighted mean. A point is anomalous when the combined score reaches `threshold` (0.25 is a
    /// member at its own threshold, 0.5, with novelty 0.5) and `quorum` members agree: by their own
    /// verdict, by a deviation that lasted, or by a weighed score the magnitude floor holds at the
    /// threshold or above.
    ///
    /// Once a point is anomalous, the emitted score of the next `suppressionPoints` points is
    /// multiplied by `suppressionFactor`: an operator (and NAB) wants the onset of an episode, not
    /// the same alarm again on every point of it.
    package struct Parameters: Sendable, Equatable {
        /// Combined score at or above which a point is anomalous (with the quorum).
        package var threshold: Double = 0.25
        /// Points over which the largest recent deviation is remembered: about three weeks of
        /// 5-minute data, so a weekly peak has been seen at least twice before it could page;
        /// 0 turns novelty off.
        package var noveltyHorizon: Int = 6_000
        /// How far one sixteenth of the horizon may raise the yardstick: a deviation is remembered as
        /// at most `noveltyGrowth` times the larger of the yardstick before it and `noveltyFloor`.
        /// A series whose big excursions recur (noisy traffic) raises its yardstick within a few
        /// sixteenths and stops paging for them; a quiet series whose first fault is huge keeps
        /// paging for the smaller repeats after it (crash rates), which an unbounded yardstick
        /// silenced for the whole horizon. 0 leaves it unbounded. Chosen by category-left-out
        /// cross-validation over NAB and cloudmon: 8 lifts cloudmon by 7 points, NAB within 0.4
        /// (`docs/detection-experiments.md`).
        package var noveltyGrowth: Double = 8
        /// The yardstick a fresh series grows from, in member deviations (1 is a member at its own
        /// threshold): with 0.5 the first sixteenth remembers at most 4, four alarm-level deviations.
        package var noveltyFloor: Double = 0.5
        /// Interquartile ranges from the median of the series' last 1,000 points (a sample of them)
        /// beyond which a value held for `magnitudeHoldMilliseconds` starts to keep its novelty weight
        /// however often such values recur (a crash series' crashes); 0 turns the floor off. Chosen by category-left-out
        /// cross-validation over NAB and cloudmon: cloudmon +2.7 left-out, NAB +1.0 (in-sample
        /// unchanged), every fold choosing it (`docs/detection-experiments.md`).
        package var magnitudeFrom: Double = 20
        /// Interquartile ranges at which the floor reaches 1 (full weight); it rises linearly from
        /// `magnitudeFrom`.
        package var magnitudeFull: Double = 50
        /// How long a value must have stayed beyond `magnitudeFrom` before the floor applies: a state
        /// the series is in, not a spike (recurring spikes stay discounted).
        package var magnitudeHoldMilliseconds: Int64 = 3_600_000
        /// Member deviations (1 is the member at its own threshold) that every point of a run must
        /// reach for the run to count as sustained; 0 turns sustained novelty off. A spiky series
        /// (CPU, request counts) judged only against its spikes never paged for a level shift smaller
        /// than them. 0.7, not 1: the profiles learn a shift while it lasts, and the member's score
        /// fades below its threshold within a few points. Chosen by category-left-out cross-validation
        /// over NAB and cloudmon: standard NAB +1.8, cloudmon +0.4 left-out, every standard and
        /// low-FN fold choosing it (`docs/detection-experiments.md`).
        package var sustainedFrom: Double = 0.7
        /// How long such a run must have lasted: half an hour, so a one-point spike or a short burst
        /// is not sustained while an operator still hears of a shift early.
        package var sustainedMilliseconds: Int64 = 1_800_000
        /// And at least this many points, so hourly data needs three hours, not one point.
        package var sustainedPoints: Int = 3
        /// Points after an anomalous point whose emitted score is damped (when `suppressionMilliseconds` is 0).
        package var suppressionPoints: Int = 50
        /// When positive, the damping lasts this long after an anomalous point instead of
        /// `suppressionPoints` points, so it means the same at any sampling rate. Two hours: one page
        /// per episode, as an on-call rota wants it. 50 points meant two days of hourly data (it hid
        /// the next incident) and 50 minutes of minute data; cross-validated with every category left
        /// out, 1 h to 4 h all beat 50 points on cloudmon (+10 points) and 2 h also on NAB (+0.6).
        package var suppressionMilliseconds: Int64 = 2 * 3_600_000
        /// Factor applied to the emitted score while damped.
        package var suppressionFactor: Double = 0.2
        /// Non-decisive members that must agree for a point to be anomalous (see the type's comment).
        package var quorum: Int = 1
        /// Normal points tolerated inside one event.
        package var eventGap: Int = 3
        /// Points scored per block.
        package var blockSize: Int = 4_096

        /// The defaults.
        package init() {}
    }

    package static let name = "ensemble"
    /// Version 2 added the time of the last anomalous point (version 1 lost it: a restored ensemble
    /// forgot the damping of an anomaly before the checkpoint); version 3 the series' normal range
    /// for the magnitude floor (earlier versions restore with none, learnt again in 64 points);
    /// version 4 the members' sustained-deviation yardsticks (earlier versions restore with none);
    /// version 5 the points seen (earlier versions restore as a long history: they have been running);
    /// version 6 the open event's peak statistical score (earlier versions take its peak score).
    private static let stateVersion: UInt8 = 6
    /// The history a state without a point count stands for: beyond any memory, as `sinceAnomalous`'s
    /// far past (state integers are checked against a sane range on restore).
    private static let longHistory = Int(Int32.max)

    /// The members, in configuration order.
    package private(set) var members: [EnsembleMember]
    /// The combination parameters.
    package let parameters: Parameters
    package var threshold: Double { parameters.threshold }

    private var expected = ExpectedRange()
    private var coalescer: EventCoalescer
    private var recent: [RecentMaximum]
    // Far in the past (not Int.max: state integers are checked against a sane range on restore).
    private var sinceAnomalous = Int(Int32.max)
    /// When the last anomalous point was, for time-measured suppression.
    private var lastAnomalousTime = Int64.min
    private var memberScores: [Double] = []
    /// The expected band the first weighted member that reports one gives per point of the block (NaN
    /// where it has none, or no member reports one): an event's expected range where that member has a
    /// view, the running range otherwise.
    private var bandLow: [Double] = []
    private var bandHigh: [Double] = []
    private var magnitude = SustainedMagnitude()
    private var sustained: [SustainedDeviation]
    /// Points of the series scored so far (saturating), so each event says how much history it was
    /// judged against.
    private var pointsSeen = 0

    /// An ensemble; throws when there are no members, more than 64, or the weights are unusable.
    package init(members: [EnsembleMember], parameters: Parameters = Parameters()) throws {
        guard !members.isEmpty else {
            throw DetectionError.invalidParameter(detector: Self.name, parameter: "members", reason: "needs at least one detector")
        }
        guard members.count <= 64 else {
            throw DetectionError.invalidParameter(detector: Self.name, parameter: "members", reason: "allows at most 64 detectors and rules")
        }
        guard members.allSatisfy({ $0.weight >= 0 && $0.weight.isFinite }) else {
            throw DetectionError.invalidParameter(detector: Self.name, parameter: "weights", reason: "must be finite and not negative")
        }
        guard (0...1).contains(parameters.threshold) else {
            throw DetectionError.invalidParameter(detector: Self.name, parameter: "threshold", reason: "must lie in [0, 1]")
        }
        guard parameters.quorum >= 0, parameters.eventGap >= 0, parameters.blockSize >= 1 else {
            throw DetectionError.invalidParameter(detector: Self.name, parameter: "quorum/event_gap/block_size", reason: "must not be negative")
        }
        guard parameters.noveltyHorizon >= 0, parameters.suppressionPoints >= 0, (0...1).contains(parameters.suppressionFactor) else {
            throw DetectionError.invalidParameter(detector: Self.name, parameter: "novelty_horizon/suppression", reason: "must not be negative (factor in [0, 1])")
        }
        guard parameters.noveltyGrowth >= 0, parameters.noveltyGrowth.isFinite, parameters.noveltyFloor >= 0, parameters.noveltyFloor.isFinite else {
            throw DetectionError.invalidParameter(detector: Self.name, parameter: "novelty_growth/novelty_floor", reason: "must be finite and not negative")
        }
        guard parameters.sustainedFrom >= 0, parameters.sustainedFrom.isFinite, parameters.sustainedMilliseconds >= 0, parameters.sustainedPoints >= 1 else {
            throw DetectionError.invalidParameter(detector: Self.name, parameter: "sustained_from/sustained_span/sustained_points",
                                                  reason: "must be finite and not negative, at least one point")
        }
        guard parameters.magnitudeFrom >= 0, parameters.magnitudeFrom.isFinite, parameters.magnitudeFull.isFinite,
              parameters.magnitudeFull >= parameters.magnitudeFrom, parameters.magnitudeHoldMilliseconds >= 0 else {
            throw DetectionError.invalidParameter(detector: Self.name, parameter: "magnitude_from/magnitude_full/magnitude_hold",
                                                  reason: "must be finite and not negative, the full weight not below the start")
        }
        self.members = members
        self.parameters = parameters
        recent = members.map { _ in RecentMaximum(horizon: parameters.noveltyHorizon) }
        sustained = members.map { _ in SustainedDeviation(horizon: parameters.noveltyHorizon) }
        coalescer = EventCoalescer(maximumGap: parameters.eventGap)
    }

    package mutating func score(
        timestamps: UnsafeBufferPointer<Int64>,
        values: UnsafeBufferPointer<Double>,
        into scores: UnsafeMutableBufferPointer<Double>
    ) {
        var ignored: [AnomalyEvent] = []
        process(series: SeriesKey(name: ""), timestamps: timestamps, values: values, scores: scores, events: &ignored)
    }

    /// Scores the points and appends the events that closed within them to `events`.
    /// Call `finish(series:)` after the last block to get an event still open.
    package mutating func process(
        series: SeriesKey,
        timestamps: UnsafeBufferPointer<Int64>,
        values: UnsafeBufferPointer<Double>,
        scores: UnsafeMutableBufferPointer<Double>,
        events: inout [AnomalyEvent]
    ) {
        let block = parameters.blockSize
        let memberCount = members.count
        // Each member's scores take `stride` slots: a block, or fewer when the input is shorter (a live pass
        // scores a few points of thousands of series; a whole block zero-filled for each was most of its work).
        let stride = max(1, min(block, values.count))
        if memberScores.count < memberCount * stride { memberScores = [Double](repeating: 0, count: memberCount * stride) }
        if bandLow.count < stride {
            bandLow = [Double](repeating: .nan, count: stride)
            bandHigh = bandLow
        }
        let banded = members.firstIndex { !$0.decisive && $0.detector.reportsExpectedBand }
        var start = 0
        while start < values.count {
            let length = min(block, values.count - start)
            let blockTimes = UnsafeBufferPointer(rebasing: timestamps[start..<start + length])
            let blockValues = UnsafeBufferPointer(rebasing: values[start..<start + length])
            memberScores.withUnsafeMutableBufferPointer { buffer in
                bandLow.withUnsafeMutableBufferPointer { low in
                bandHigh.withUnsafeMutableBufferPointer { high in
                    for member in 0..<memberCount {
                        let slice = UnsafeMutableBufferPointer(rebasing: buffer[member * stride..<member * stride + length])
                        if member == banded {
                            members[member].detector.score(
                                timestamps: blockTimes, values: blockValues, into: slice,
                                expectedLow: UnsafeMutableBufferPointer(rebasing: low[0..<length]),
                                expectedHigh: UnsafeMutableBufferPointer(rebasing: high[0..<length]))
                        } else {
                            members[member].detector.score(timestamps: blockTimes, values: blockValues, into: slice)
                        }
                    }
                    if banded == nil { UnsafeMutableBufferPointer(rebasing: low[0..<length]).update(repeating: .nan) }
                }
                }
            }
            combine(series: series, offset: start, length: length, stride: stride, timestamps: timestamps, values: values,
                    scores: scores, events: &events)
            start += length
        }
    }

    private mutating func combine(
        series: SeriesKey, offset: Int, length: Int, stride block: Int,
        timestamps: UnsafeBufferPointer<Int64>, values: UnsafeBufferPointer<Double>,
        scores: UnsafeMutableBufferPointer<Double>, events: inout [AnomalyEvent]
    ) {
        let memberCount = members.count
        let weights = members.map { $0.weight }
        let thresholds = members.map { $0.detector.threshold }
        let decisive = members.map { $0.decisive }
        let totalWeight = zip(weights, decisive).reduce(0) { $0 + ($1.1 ? 0 : $1.0) }
        let inverseTotalWeight = totalWeight > 0 ? 1 / totalWeight : 0
        let quorum = parameters.quorum
        let threshold = parameters.threshold
        let novelty = parameters.noveltyHorizon > 0
        let growth = parameters.noveltyGrowth
        let growthFloor = parameters.noveltyFloor
        let magnitudeOn = novelty && parameters.magnitudeFrom > 0
        let magnitudeFrom = parameters.magnitudeFrom
        let magnitudeFull = parameters.magnitudeFull
        let magnitudeHold = parameters.magnitudeHoldMilliseconds
        let sustainedOn = novelty && parameters.sustainedFrom > 0
        let sustainedFrom = parameters.sustainedFrom
        let sustainedSpan = parameters.sustainedMilliseconds
        let sustainedPoints = parameters.sustainedPoints
        let suppression = parameters.suppressionPoints
        let factor = parameters.suppressionFactor
        let suppressionTime = parameters.suppressionMilliseconds
        var recent: [RecentMaximum] = []
        swap(&recent, &self.recent)
        defer { swap(&recent, &self.recent) }
        var magnitude = SustainedMagnitude.empty
        swap(&magnitude, &self.magnitude)
        defer { swap(&magnitude, &self.magnitude) }
        var sustained: [SustainedDeviation] = []
        swap(&sustained, &self.sustained)
        defer { swap(&sustained, &self.sustained) }
        // Plain pointers in the per-point loop: no bounds or uniqueness checks per member per point.
        weights.withUnsafeBufferPointer { weights in
        thresholds.withUnsafeBufferPointer { thresholds in
        decisive.withUnsafeBufferPointer { decisive in
        recent.withUnsafeMutableBufferPointer { recent in
        sustained.withUnsafeMutableBufferPointer { sustained in
        memberScores.withUnsafeBufferPointer { buffer in
            for point in 0..<length {
                // One floor per point, shared by the members: it is the value's, not a member's.
                let weightFloor = magnitudeOn
                    ? magnitude.floor(values[offset + point], at: timestamps[offset + point], from: magnitudeFrom, full: magnitudeFull, hold: magnitudeHold)
                    : 0
                var weighted = 0.0
                var decisiveScore = 0.0
                var decisiveFired = false
                var agreeing = 0
                var agreeingWeight = 0.0
                var votes: UInt64 = 0
                for member in 0..<memberCount {
                    let memberScore = buffer[member * block + point]
                    let fired = memberScore >= thresholds[member]
                    if fired { votes |= 1 << UInt64(member) }
                    if decisive[member] {
                        decisiveScore = max(decisiveScore, memberScore)
                        decisiveFired = decisiveFired || fired
                    } else {
                        var contribution = memberScore
                        // A deviation held at `sustainedFrom` for the sustained span is the member's
                        // verdict too, at the point it becomes sustained: evidence by accumulation.
                        var lasting = 0.0
                        if novelty {
                            let deviation = memberScore >= 1 ? Double.infinity : (memberScore / (1 - memberScore)).squareRoot()
                            let largest = recent[member].value
                            // An infinite deviation (a change after a perfectly constant stretch) pages on
                            // its own but is no yardstick: no finite deviation could ever compare with
                            // it, so it would silence the member for the whole horizon.
                            let finite = deviation.isFinite ? deviation : 0
                            // What this bucket may add to the yardstick is bounded by what it was before.
                            recent[member].push(growth > 0 ? min(finite, growth * max(recent[member].settled, growthFloor)) : finite)
                            var weight = max(Self.novelty(deviation, largest: largest), weightFloor)
                            if sustainedOn {
                                lasting = sustained[member].novelty(
                                    finite, at: timestamps[offset + point], from: sustainedFrom, span: sustainedSpan,
                                    points: sustainedPoints, growth: growth, growthFloor: growthFloor)
                                weight = max(weight, lasting)
                            }
                            contribution *= weight
                        }
                        weighted += weights[member] * contribution
                        // A member agrees when its own verdict fires, when its deviation has lasted, or when
                        // the magnitude floor holds its weight and its weighed score alone reaches the
                        // ensemble's threshold: a value held far outside the series' range, which a scale
                        // widened by earlier crashes scores below the member's own threshold. Without the
                        // last, that point's score crossed the threshold (what the evaluation counts as a
                        // detection) while `detect` paged nothing. Novelty alone does not count: on a short
                        // history its yardstick is still small and lifts noise over the threshold.
                        if fired || lasting > 0 || (weightFloor > 0 && contribution >= threshold) {
                            votes |= 1 << UInt64(member)
                            agreeing += 1
                            agreeingWeight += weights[member]
                        }
                    }
                }
                // Multiplications by a precomputed inverse: a division per point is most of the
                // voter's cost when it wraps a detector as cheap as the z-score.
                let statistical = weighted * inverseTotalWeight
                let combined = max(statistical, decisiveScore)
                let anomalous = decisiveFired || (statistical >= threshold && agreeing >= quorum)
                let agreement = decisiveFired ? 1 : agreeingWeight * inverseTotalWeight
                let index = offset + point
                pointsSeen = pointsSeen < Self.longHistory ? pointsSeen + 1 : pointsSeen
                // Points since the last anomalous one, saturating just past the suppression span.
                let distance = sinceAnomalous > suppression ? suppression + 1 : sinceAnomalous + 1
                let damped = suppressionTime > 0
                    ? lastAnomalousTime != Int64.min && elapsed(timestamps[index], since: lastAnomalousTime) < suppressionTime
                    : distance <= suppression
                scores[index] = damped ? combined * factor : combined
                sinceAnomalous = anomalous ? 0 : distance
                if anomalous { lastAnomalousTime = timestamps[index] }
                let value = values[index]
                if coalescer.feed(
                    anomalous: anomalous, timestamp: timestamps[index], value: value, score: combined,
                    statistical: statistical, agreement: agreement, votes: anomalous ? votes : 0, expected: expected,
                    band: (bandLow[point], bandHigh[point]), history: pointsSeen - 1
                ) {
                    events.append(coalescer.event(series: series, members: members, ongoing: false, memory: parameters.noveltyHorizon))
                }
                if !anomalous { expected.observe(value) }
            }
        }
        }
        }
        }
        }
        }
    }

    /// `u / (u + m)`, with the limits spelled out: nothing over nothing is 0, infinite over finite 1.
    @inline(__always)
    static func novelty(_ deviation: Double, largest: Double) -> Double {
        if deviation == 0 { return 0 }
        if deviation.isInfinite { return largest.isInfinite ? 0.5 : 1 }
        return deviation / (deviation + largest)
    }

    /// The event still open at the end of the input, marked `ongoing`, if any.
    package func openEvent(series: SeriesKey) -> AnomalyEvent? {
        coalescer.open ? coalescer.event(series: series, members: members, ongoing: true, memory: parameters.noveltyHorizon) : nil
    }

    package func saveState() throws -> [UInt8] { try state(layout: Self.stateVersion) }

    /// The state in the current layout, or in an earlier one (1: without the last anomalous time; 2:
    /// without the normal range; 3: without the sustained yardsticks; 4: without the points seen; 5: without
    /// the open event's statistical peak): the tests' way to make the states earlier releases saved,
    /// which must still restore.
    func state(layout: UInt8) throws -> [UInt8] {
        var writer = StateWriter(tag: Self.name, version: min(layout, Self.stateVersion))
        writer.write(members.count)
        for member in members {
            writer.write(string: member.name)
            writer.write(blob: try member.detector.saveState())
        }
        expected.write(to: &writer)
        coalescer.write(to: &writer, withHistory: layout >= 5, withStatisticalPeak: layout >= 6)
        for maximum in recent { maximum.write(to: &writer) }
        writer.write(sinceAnomalous)
        if layout >= 2 { writer.write(lastAnomalousTime) }
        if layout >= 3 { magnitude.write(to: &writer) }
        if layout >= 4 { for deviation in sustained { deviation.write(to: &writer) } }
        if layout >= 5 { writer.write(pointsSeen) }
        return writer.bytes
    }

    /// Restores members by name: a member added to the configuration since the state was saved
    /// starts fresh, a member removed is ignored; each member's own state must fit exactly. All or
    /// nothing: a state that does not fit leaves the ensemble as it was.
    package mutating func restoreState(_ bytes: [UInt8]) throws {
        // Version 1 (written by earlier releases, still in their databases) lacks the last anomalous
        // time: it restores with none, as it always did. Versions 1 and 2 lack the normal range: it
        // is learnt again. Versions 1 to 3 lack the sustained yardsticks: they start fresh. Versions 1
        // to 4 lack the points seen: a long history. Versions 1 to 5 lack the open event's statistical
        // peak: its peak score stands for it.
        var reader = try StateReader(bytes, tag: Self.name, versions: 1...Self.stateVersion)
        let count = try reader.readInt()
        guard count >= 0, count <= 64 else { throw DetectionError.stateMismatch(detector: Self.name, reason: "member count \(count)") }
        var saved: [String: [UInt8]] = [:]
        var names: [String] = []
        for _ in 0..<count {
            let name = try reader.readString()
            names.append(name)
            saved[name] = try reader.readBlob()
        }
        let expected = try ExpectedRange.read(from: &reader)
        let coalescer = try EventCoalescer.read(from: &reader, maximumGap: parameters.eventGap, withHistory: reader.version >= 5,
                                                withStatisticalPeak: reader.version >= 6, longHistory: Self.longHistory)
        var savedRecent: [RecentMaximum] = []
        for _ in 0..<count { savedRecent.append(try RecentMaximum.read(from: &reader, horizon: parameters.noveltyHorizon)) }
        let since = try reader.readInt()
        let lastAnomalous = reader.version >= 2 ? try reader.readInt64() : Int64.min
        let magnitude = reader.version >= 3 ? try SustainedMagnitude.read(from: &reader) : SustainedMagnitude()
        var savedSustained: [SustainedDeviation] = []
        if reader.version >= 4 {
            for _ in 0..<count { savedSustained.append(try SustainedDeviation.read(from: &reader, horizon: parameters.noveltyHorizon)) }
        }
        let pointsSeen = reader.version >= 5 ? try reader.readInt() : Self.longHistory
        guard (0...Self.longHistory).contains(pointsSeen) else { throw reader.inconsistent("its point count is out of range") }
        try reader.finish()
        var recent = members.map { _ in RecentMaximum(horizon: parameters.noveltyHorizon) }
        var sustained = members.map { _ in SustainedDeviation(horizon: parameters.noveltyHorizon) }
        for (index, name) in names.enumerated() {
            guard let position = members.firstIndex(where: { $0.name == name }) else { continue }
            recent[position] = savedRecent[index]
            if index < savedSustained.count { sustained[position] = savedSustained[index] }
        }
        // Members first, into a copy: one that refuses its state leaves this ensemble as it was.
        var restored = members
        for index in restored.indices {
            if let state = saved[restored[index].name] { try restored[index].detector.restoreState(state) }
        }
        members = restored
        self.recent = recent
        self.sustained = sustained
        sinceAnomalous = since
        lastAnomalousTime = lastAnomalous
        self.expected = expected
        self.coalescer = coalescer
        self.magnitude = magnitude
        self.pointsSeen = pointsSeen
    }
}
