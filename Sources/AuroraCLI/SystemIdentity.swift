import Foundation

/// Who runs this process, as the system knows it: the login name of the real user id.
///
/// Asked before `$USER`/`$LOGNAME` because those are only what the shell says (unset under cron, in
/// containers and systemd units, and trivially changed), while the audit trail should name a person.
package enum SystemIdentity {
    /// The login name of `getuid()` from the user database, or nil when the uid has no entry (a
    /// container running as an arbitrary uid).
    package static func loginName() -> String? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        // getpwuid_r, not getpwuid: the latter returns a pointer into static storage, not safe to
        // call from the concurrent tasks the command line runs on.
        guard getpwuid_r(getuid(), &entry, &buffer, buffer.count, &result) == 0, result != nil,
              let name = entry.pw_name else { return nil }
        let text = String(cString: name)
        return text.isEmpty ? nil : text
    }
}
