import Foundation

/// Temporary copies left by backups that were killed (`.NAME.partial-PID`, and SQLite's `-journal`
/// beside it). A killed process cannot clean up after itself, and backups usually get a new name each
/// time (dated), so without a sweep every interrupted backup would leave its partial copy for good.
enum StalePartialBackups {
    /// Removes, in `folder`, the partial copies whose process no longer exists; returns their names.
    /// A live process (this one, or another backup still running) keeps its file; so does a reused
    /// process id, which only delays the sweep.
    static func remove(in folder: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        var removed: [String] = []
        for name in names.sorted() {
            guard let pid = owner(of: name), !isAlive(pid) else { continue }
            if unlink(folder + "/" + name) == 0 { removed.append(name) }
        }
        return removed
    }

    /// The process id in `.NAME.partial-PID` or `.NAME.partial-PID-journal`, or nil for any other name.
    static func owner(of name: String) -> pid_t? {
        guard name.hasPrefix("."), let marker = name.range(of: ".partial-", options: .backwards) else { return nil }
        var digits = name[marker.upperBound...]
        if digits.hasSuffix("-journal") { digits = digits.dropLast("-journal".count) }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), let pid = pid_t(digits), pid > 0 else { return nil }
        return pid
    }

    private static func isAlive(_ pid: pid_t) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }
}
