import Foundation

/// Converts between instants and local wall-clock times of an IANA zone, without the process `TZ`.
///
/// **The documented rule for local times that do not map to exactly one instant** (the same as
/// RFC 5545 and java.time):
/// - a local time that does not exist (skipped by a forward change, e.g. 02:30 on the spring-forward
///   day in Europe/Berlin) is moved forward by the length of the gap: 02:30 becomes 03:30 CEST,
///   the instant the clock would show 02:30 had it not jumped;
/// - a local time that occurs twice (repeated by a backward change, e.g. 02:30 on the autumn day
///   in Europe/Berlin) means its **first** occurrence (the earlier instant, summer time).
///
/// Local times are counted as "local seconds": seconds since 1970-01-01T00:00 on the zone's wall clock.
package enum LocalTime {
    /// The instant (Unix seconds) for a local wall-clock time, by the rule above.
    package static func instant(forLocalSeconds local: Int64, in zone: TimeZone) -> Int64 {
        // Offsets in force a day either side cover any real transition (zones change at most a few times a year).
        let before = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(local - 86_400))))
        let after = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(local + 86_400))))
        var best: Int64?
        for offset in Set([before, after]) {
            let candidate = local - offset
            if Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(candidate)))) == offset {
                best = min(best ?? candidate, candidate)
            }
        }
        if let best { return best }
        // In a gap: use the offset before the change, which lands after it by the gap's length.
        return local - before
    }

    /// The local seconds of an instant (Unix seconds) in a zone.
    package static func localSeconds(forInstant instant: Int64, in zone: TimeZone) -> Int64 {
        instant + Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant))))
    }

    /// Local seconds for a civil date and time (proleptic Gregorian).
    package static func localSeconds(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) -> Int64 {
        daysFromCivil(year: year, month: month, day: day) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }

    /// The instant for a civil local date and time in a zone, by the rule above.
    package static func date(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, in zone: TimeZone) -> Date {
        let local = localSeconds(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        return Date(timeIntervalSince1970: TimeInterval(instant(forLocalSeconds: local, in: zone)))
    }

    /// Days since 1970-01-01 for a civil date (Howard Hinnant's algorithm).
    package static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Day of the week for days since 1970-01-01: 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday).
    package static func weekday(ofDay day: Int64) -> Int {
        Int(((day % 7) + 7 + 3) % 7)
    }

    /// Floor division of local seconds into days.
    package static func day(ofLocalSeconds seconds: Int64) -> Int64 {
        seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    }
}
