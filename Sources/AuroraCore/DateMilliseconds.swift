import Foundation

extension Date {
    /// Milliseconds since the Unix epoch, the unit aurora stores and computes with.
    package var unixMilliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }

    /// A date from Unix milliseconds.
    package init(unixMilliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(unixMilliseconds) / 1000)
    }
}
