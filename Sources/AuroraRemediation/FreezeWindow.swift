import Foundation

/// A period in which no remediation in its scope may run (a change freeze).
package struct FreezeWindow: Sendable, Equatable {
    /// When it applies.
    package enum Schedule: Sendable, Equatable {
        /// From one instant (inclusive) until another (exclusive).
        case oneOff(from: Date, until: Date)
        /// Every week, on local wall-clock times of a zone.
        case weekly(WeeklyWindow)
    }

    /// A stable identifier (the store's row id, or a name), used in decisions and `freeze remove`.
    package var id: String
    /// nil for every service, else the one service it freezes.
    package var service: String?
    /// When it applies.
    package var schedule: Schedule
    /// Why (shown in refusals).
    package var reason: String

    /// Creates a freeze window.
    package init(id: String, service: String? = nil, schedule: Schedule, reason: String = "") {
        self.id = id
        self.service = service
        self.schedule = schedule
        self.reason = reason
    }

    /// The occurrence containing `instant` (half-open: start ≤ instant < end), or nil when not frozen then.
    package func occurrence(containing instant: Date) -> DateInterval? {
        switch schedule {
        case let .oneOff(from, until):
            return from <= instant && instant < until ? DateInterval(start: from, end: until) : nil
        case let .weekly(window):
            return window.occurrence(containing: instant)
        }
    }

    /// Whether it covers `service`.
    package func covers(service: String) -> Bool { self.service == nil || self.service == service }
}

/// A weekly recurring window on local wall-clock time: `Fri 16:00 – Mon 08:00 Europe/Berlin`.
///
/// Each occurrence starts at the start day/time and ends at the end day/time that follows it (up to
/// seven days later; equal start and end mean a whole week). Both ends are converted to instants by
/// `LocalTime`'s documented rule for skipped and repeated local times, so occurrences follow
/// daylight-saving changes: the window above always opens at 16:00 on the Berlin wall clock, whether
/// that is 15:00 or 14:00 UTC. Membership is half-open: start ≤ t < end.
package struct WeeklyWindow: Sendable, Equatable, CustomStringConvertible {
    /// Start weekday, 0 = Monday … 6 = Sunday.
    package var startWeekday: Int
    /// Start time, minutes after local midnight.
    package var startMinute: Int
    /// End weekday, 0 = Monday … 6 = Sunday.
    package var endWeekday: Int
    /// End time, minutes after local midnight.
    package var endMinute: Int
    /// The zone's IANA identifier.
    package var timeZoneIdentifier: String
    private let zone: TimeZone

    /// Weekday abbreviations accepted and printed, Monday first.
    package static let weekdayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

    /// Creates a window; throws when the zone is unknown or a field is out of range.
    package init(startWeekday: Int, startMinute: Int, endWeekday: Int, endMinute: Int, timeZone identifier: String) throws(RemediationError) {
        guard let zone = TimeZone(identifier: identifier) else { throw .unknownTimeZone(identifier) }
        guard (0..<7).contains(startWeekday), (0..<7).contains(endWeekday), (0..<1440).contains(startMinute), (0..<1440).contains(endMinute) else {
            throw .invalidFreezeWindow(text: "\(startWeekday) \(startMinute) \(endWeekday) \(endMinute)", reason: "field out of range")
        }
        self.startWeekday = startWeekday
        self.startMinute = startMinute
        self.endWeekday = endWeekday
        self.endMinute = endMinute
        self.timeZoneIdentifier = identifier
        self.zone = zone
    }

    /// Parses `Fri 16:00 – Mon 08:00 Europe/Berlin` (the dash may be `-`, `–` or `—`; day names in
    /// English, three letters or full, any case).
    package init(parsing text: String) throws(RemediationError) {
        let normalized = text.replacingOccurrences(of: "–", with: " - ").replacingOccurrences(of: "—", with: " - ")
        let words = normalized.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard words.count == 6, words[2] == "-" else {
            throw .invalidFreezeWindow(text: text, reason: "expected \"DAY HH:MM – DAY HH:MM ZONE\", e.g. \"Fri 16:00 – Mon 08:00 Europe/Berlin\"")
        }
        guard let startDay = Self.weekday(words[0]), let endDay = Self.weekday(words[3]) else {
            throw .invalidFreezeWindow(text: text, reason: "unknown day name (use Mon … Sun)")
        }
        guard let start = Self.minutes(words[1]), let end = Self.minutes(words[4]) else {
            throw .invalidFreezeWindow(text: text, reason: "times must be HH:MM, 00:00 to 23:59")
        }
        try self.init(startWeekday: startDay, startMinute: start, endWeekday: endDay, endMinute: end, timeZone: words[5])
    }

    /// The canonical text, which `init(parsing:)` reads back.
    package var description: String {
        func clock(_ minutes: Int) -> String {
            let hours = minutes / 60, rest = minutes % 60
            return (hours < 10 ? "0" : "") + String(hours) + ":" + (rest < 10 ? "0" : "") + String(rest)
        }
        return "\(Self.weekdayNames[startWeekday]) \(clock(startMinute)) – \(Self.weekdayNames[endWeekday]) \(clock(endMinute)) \(timeZoneIdentifier)"
    }

    /// Length of one occurrence on the wall clock, in minutes (1 to 7 days).
    var wallLengthMinutes: Int {
        let length = ((endWeekday - startWeekday + 7) % 7) * 1440 + endMinute - startMinute
        return length <= 0 ? length + 7 * 1440 : length
    }

    /// The occurrence containing `instant`, or nil.
    package func occurrence(containing instant: Date) -> DateInterval? {
        let seconds = Int64(instant.timeIntervalSince1970.rounded(.down))
        let localDay = LocalTime.day(ofLocalSeconds: LocalTime.localSeconds(forInstant: seconds, in: zone))
        let weekday = LocalTime.weekday(ofDay: localDay)
        // The latest start day on or before today; the one a week earlier may still be open
        // (a 7-day window, or a change of offset near the boundary).
        let latestStartDay = localDay - Int64((weekday - startWeekday + 7) % 7)
        for startDay in [latestStartDay + 7, latestStartDay, latestStartDay - 7] {
            let localStart = startDay * 86_400 + Int64(startMinute * 60)
            let localEnd = localStart + Int64(wallLengthMinutes * 60)
            let start = LocalTime.instant(forLocalSeconds: localStart, in: zone)
            let end = LocalTime.instant(forLocalSeconds: localEnd, in: zone)
            let exact = instant.timeIntervalSince1970
            if Double(start) <= exact && exact < Double(end) {
                return DateInterval(start: Date(timeIntervalSince1970: TimeInterval(start)), end: Date(timeIntervalSince1970: TimeInterval(end)))
            }
        }
        return nil
    }

    private static func weekday(_ word: String) -> Int? {
        let lower = word.lowercased()
        let full = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
        return full.firstIndex { $0 == lower || $0.prefix(3) == lower }
    }

    private static func minutes(_ word: String) -> Int? {
        let parts = word.split(separator: ":")
        guard parts.count == 2, parts[1].count == 2, let hours = Int(parts[0]), let minutes = Int(parts[1]),
              (0..<24).contains(hours), (0..<60).contains(minutes) else { return nil }
        return hours * 60 + minutes
    }

    /// Equality by fields (the cached zone follows from the identifier).
    package static func == (lhs: WeeklyWindow, rhs: WeeklyWindow) -> Bool {
        lhs.startWeekday == rhs.startWeekday && lhs.startMinute == rhs.startMinute && lhs.endWeekday == rhs.endWeekday
            && lhs.endMinute == rhs.endMinute && lhs.timeZoneIdentifier == rhs.timeZoneIdentifier
    }
}
