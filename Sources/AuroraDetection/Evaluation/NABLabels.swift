import Foundation

/// One labelled anomaly window: both ends inclusive, Unix milliseconds.
package struct NABWindow: Sendable, Equatable, Hashable {
    /// First timestamp of the window.
    package var start: Int64
    /// Last timestamp of the window.
    package var end: Int64

    /// A window.
    package init(start: Int64, end: Int64) {
        self.start = start
        self.end = end
    }
}

/// Reads labels in NAB's `combined_windows.json` format: an object mapping a data file's relative
/// path to a list of `[start, end]` timestamp pairs.
package enum NABLabels {
    /// Windows by relative data file path; throws `DetectionError.invalidLabels` on malformed input.
    package static func parse(_ data: Data) throws -> [String: [NABWindow]] {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw DetectionError.invalidLabels("not valid JSON (\(error.localizedDescription))")
        }
        guard let files = object as? [String: Any] else {
            throw DetectionError.invalidLabels("expected an object mapping data files to lists of windows")
        }
        var result: [String: [NABWindow]] = [:]
        for (path, entry) in files {
            guard let pairs = entry as? [Any] else { throw DetectionError.invalidLabels("'\(path)': expected a list of windows") }
            var windows: [NABWindow] = []
            for pair in pairs {
                guard let ends = pair as? [Any], ends.count == 2, let startText = ends[0] as? String, let endText = ends[1] as? String else {
                    throw DetectionError.invalidLabels("'\(path)': each window must be a pair of timestamps")
                }
                guard let start = NABTimestamp.milliseconds(startText), let end = NABTimestamp.milliseconds(endText) else {
                    throw DetectionError.invalidLabels("'\(path)': unreadable timestamp in window [\(startText), \(endText)]")
                }
                guard start <= end else { throw DetectionError.invalidLabels("'\(path)': window [\(startText), \(endText)] ends before it starts") }
                windows.append(NABWindow(start: start, end: end))
            }
            result[path] = windows.sorted { $0.start < $1.start }
        }
        return result
    }
}
