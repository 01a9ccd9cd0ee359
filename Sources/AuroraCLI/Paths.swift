import AuroraCore
import Foundation

/// Where aurora keeps state and looks for configuration (XDG base directories).
package enum Paths {
    /// `$XDG_STATE_HOME/aurora/aurora.db`, else `~/.local/state/aurora/aurora.db`.
    package static func defaultDatabase(environment: [String: String]) -> String {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            return state + "/aurora/aurora.db"
        }
        return home(environment) + "/.local/state/aurora/aurora.db"
    }

    /// `./aurora.yaml` if present, else `$XDG_CONFIG_HOME/aurora/aurora.yaml` if present, else nil
    /// (built-in defaults).
    package static func configurationFile(environment: [String: String], workingDirectory: String) -> String? {
        let local = workingDirectory + "/aurora.yaml"
        if FileManager.default.fileExists(atPath: local) { return local }
        let user = userConfigurationFile(environment: environment)
        return FileManager.default.fileExists(atPath: user) ? user : nil
    }

    /// `$XDG_CONFIG_HOME/aurora/aurora.yaml`, else `~/.config/aurora/aurora.yaml`.
    package static func userConfigurationFile(environment: [String: String]) -> String {
        if let config = environment["XDG_CONFIG_HOME"], config.hasPrefix("/") {
            return config + "/aurora/aurora.yaml"
        }
        return home(environment) + "/.config/aurora/aurora.yaml"
    }

    static func home(_ environment: [String: String]) -> String {
        environment["HOME"] ?? NSHomeDirectory()
    }

    /// An absolute path for `path`, relative to `workingDirectory`.
    package static func absolute(_ path: String, workingDirectory: String) -> String {
        if path == ":memory:" { return path }
        if path.hasPrefix("/") { return (path as NSString).standardizingPath }
        if path.hasPrefix("~/") { return NSHomeDirectory() + path.dropFirst(1) }
        return ((workingDirectory as NSString).appendingPathComponent(path) as NSString).standardizingPath
    }
}
