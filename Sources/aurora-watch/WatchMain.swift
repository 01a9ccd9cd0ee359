import AuroraCLI
import AuroraConfig
import AuroraCore
import AuroraExecutors
import AuroraHTTP
import AuroraStore
import AuroraWatch
import Foundation

/// `aurora watch` in this process: reads its options, opens the database, takes the lease, and runs
/// the loop; maps how it ended to an exit status.
enum WatchMain {
    static func run(_ context: CommandContext) async throws -> ExitStatus {
        let arguments = context.arguments
        let format = WatchLog.Format(rawValue: arguments.value("log-format") ?? "human") ?? .human
        // Straight to standard error, unbuffered: a log line is written as the event happens.
        let log = WatchLog(format: format, clock: context.clock)
        let configuration = try context.configuration()
        let store = try context.store()
        store.database.keepWriteAheadLog(upTo: WatchLoop.writeAheadLogBytes)
        let settings = try configuration.watch
        let source = try configuration.prometheusSource
        let options = WatchLoop.Options(
            once: arguments.flag("once"), listen: arguments.value("listen") ?? settings.listen,
            metricsTextfile: arguments.value("metrics-textfile").map(context.path), dryRun: arguments.flag("dry-run"),
            actor: arguments.value("actor") ?? "aurora")
        if source == nil && options.listen == nil {
            throw SimpleFailure(.configuration, "\(configuration.source ?? "the configuration"): nothing to watch: set sources.prometheus or --listen")
        }
        let lease = LeaseKeeper(path: store.path, ttl: settings.leaseTTL, clock: context.clock)
        if let previous = try lease.claim(in: store) {
            log.event("lease", "took over the lease of \(previous.holder) (no heartbeat since \(AlertTimeText.iso(previous.heartbeat)))")
        }
        let loop: WatchLoop
        do {
            loop = try WatchLoop(
                store: store, configuration: configuration, configurationPath: context.configurationPath,
                loadConfiguration: { path in try path.map { try ConfigLoader.load(path: $0) } ?? ConfigLoader.defaults() },
                environment: context.environment, workingDirectory: context.workingDirectory, clock: context.clock,
                transport: SocketHTTPTransport(), options: options, log: log)
            if let address = options.listen { try await loop.startListener(address: address) }
        } catch {
            lease.release(in: store)
            throw error
        }
        // The process-wide trap: SIGTERM and SIGINT stop the loop cleanly, SIGHUP reloads the configuration.
        let signals = ProcessSignals.shared.register(ProcessSignals.stopSignals) { number in
            if number == SIGHUP { loop.requestReload() } else { loop.requestStop(signal: number) }
        }
        defer { ProcessSignals.shared.unregister(signals) }
        log.event("start", "watching \(source?.url ?? "webhooks only") every "
                  + DurationText.format(settings.interval) + " (database \(store.path), lease held as \(lease.holder))")
        switch await loop.run(lease: lease) {
        case .stopped: return .success
        case .passFailed(let kind, _): return ExitStatus(kind)
        case .leaseLost(let holder):
            throw SimpleFailure(.temporary, "\(holder) lost the lease of \(store.path) to another aurora watch")
        }
    }
}

enum AlertTimeText {
    static func iso(_ date: Date) -> String { date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt)) }
}
