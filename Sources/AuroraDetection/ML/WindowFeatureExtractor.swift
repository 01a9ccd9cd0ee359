/// Turns one series into sliding-window features for the isolation forest, one point at a time.
///
/// A point alone says little about shape; the forest sees each point together with its step from the
/// previous point and the level and spread of the window before it, so a value that is normal in
/// itself but arrives by an unusual jump, or in an unusually calm or busy stretch, stands out.
struct WindowFeatureExtractor: Sendable, Equatable {
    /// Features written per series: value, first difference, rolling mean, rolling standard deviation,
    /// and the value's distance from that mean.
    static let featuresPerSeries = 5

    let windowLength: Int
    private(set) var window: [Double]
    private(set) var head = 0
    private(set) var filled = 0
    private(set) var previous = 0.0

    init(windowLength: Int) {
        self.windowLength = windowLength
        window = [Double](repeating: 0, count: windowLength)
    }

    /// True once a full window precedes the next point, so its features mean what they say.
    var isReady: Bool { filled >= windowLength }

    /// Writes the point's features (computed over the window *before* it, so a spike does not hide
    /// itself by inflating its own baseline) and then adds the point to the window.
    mutating func consume(_ value: Double, into row: UnsafeMutablePointer<Float>) {
        var mean = value
        var deviation = 0.0
        if filled > 0 {
            var sum = 0.0
            for k in 0..<filled { sum += window[k] }
            mean = sum / Double(filled)
            var squares = 0.0
            for k in 0..<filled {
                let d = window[k] - mean
                squares += d * d
            }
            deviation = (squares / Double(filled)).squareRoot()
        }
        row[0] = Float(value)
        row[1] = filled > 0 ? Float(value - previous) : 0
        row[2] = Float(mean)
        row[3] = Float(deviation)
        row[4] = Float(value - mean)
        window[head] = value
        head = head + 1 == windowLength ? 0 : head + 1
        if filled < windowLength { filled += 1 }
        previous = value
    }

    func encode(into writer: inout ModelStateWriter) {
        writer.append(window)
        writer.append(head)
        writer.append(filled)
        writer.append(previous)
    }

    mutating func decode(from reader: inout ModelStateReader) throws {
        window = try reader.readDoubles(expected: windowLength)
        head = try reader.readInt()
        filled = try reader.readInt()
        previous = try reader.readDouble()
        guard (0..<windowLength).contains(head), (0...windowLength).contains(filled) else {
            throw reader.failure("window position out of range")
        }
    }
}
