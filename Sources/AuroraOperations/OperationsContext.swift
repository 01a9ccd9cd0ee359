import AuroraConfig
import AuroraCore
import AuroraExecutors
import AuroraRemediation
import AuroraStore
import Foundation

/// Everything an operation of the loop needs from the outside, given explicitly: the store (the one
/// database connection of the process), the configuration, the wall clock, the environment (secrets are
/// read from it only when an action is rendered), who is acting, and the side-effect services —
/// a process runner and an HTTP transport — that tests replace with fakes.
///
/// The command line builds one per command (`CommandContext.operations()`); `aurora watch` builds one
/// per process and keeps it.
package struct OperationsContext {
    /// The database (opened, created and migrated by the caller).
    package var store: Store
    /// The effective configuration.
    package var configuration: Configuration
    /// The wall clock every decision reads.
    package var clock: any WallClock
    /// The environment: secrets for rendering, the base environment of children.
    package var environment: [String: String]
    /// Relative paths in the configuration (pattern directories) resolve against this folder.
    package var workingDirectory: String
    /// Who is acting, for the audit trail.
    package var actor: String
    /// Starts executor processes.
    package var processRunner: any ProcessRunner
    /// Sends HTTP requests (actions, probes, the AI hypothesis).
    package var httpTransport: any HTTPTransport

    /// A context over explicit parts; the services default to the real ones.
    package init(store: Store, configuration: Configuration, clock: any WallClock, environment: [String: String],
                 workingDirectory: String = FileManager.default.currentDirectoryPath, actor: String,
                 processRunner: any ProcessRunner = SubprocessRunner(), httpTransport: any HTTPTransport = HelperProcessTransport()) {
        self.store = store
        self.configuration = configuration
        self.clock = clock
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.actor = actor
        self.processRunner = processRunner
        self.httpTransport = httpTransport
    }

    /// A configured path made absolute against the working directory.
    package func path(_ text: String) -> String {
        if text.hasPrefix("/") { return (text as NSString).standardizingPath }
        if text.hasPrefix("~/") { return NSHomeDirectory() + text.dropFirst(1) }
        return ((workingDirectory as NSString).appendingPathComponent(text) as NSString).standardizingPath
    }
}
