import AuroraCore
import AuroraExecutors
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `aurora watch`: the loop on a live source, in the foreground. The work happens in the
/// `aurora-watch` executable (installed beside `aurora`), which this command execs with the same
/// arguments: it links URLSession and the webhook listener, which no other command should pay for
/// at start-up.
package enum WatchCommand {
    static let spec = CommandSpec(
        "watch",
        summary: "run the loop continuously on a live Prometheus, publishing incidents to Alertmanager",
        discussion: """
        Runs in the foreground until stopped. Each pass (every watch.interval): reads each query of \
        sources.prometheus from where the last pass stopped (the first start backfills watch.backfill), \
        stores the points, then detects, groups incidents, diagnoses, remediates under every safety control, \
        verifies, resolves and learns (as aurora heal does), and posts every open incident to Alertmanager \
        (re-sent every minute with endsAt four minutes ahead; posted with endsAt now when it resolves). \
        Passes never overlap. State survives restarts: nothing is re-alerted, no point is skipped, an \
        alert keeps its text. A long catch-up (the watcher was stopped, or a large watch.backfill) is read \
        over several passes, at most some 6 million points each: each such pass logs how far behind the \
        source it still is (event behind, metric aurora_watch_source_behind_seconds), and an incident past \
        what every query has read is diagnosed (and remediated) only once all have read past it; with \
        --once the next run goes on from there. \
        SIGTERM and SIGINT stop it cleanly (a running remediation's process group is terminated and recorded \
        as interrupted); SIGHUP reloads the configuration (an invalid file is reported and the old one stays). \
        One watcher per database: a second one exits 75 naming the holder; a dead watcher's lease expires \
        after watch.lease-ttl. With --listen it also accepts Alertmanager's webhook (POST /alertmanager): a \
        firing alert opens or joins an incident for the service its label names, a resolved one closes an \
        incident aurora did not act on; GET /healthz and GET /metrics serve its health and its own metrics. \
        Logs go to standard error, one line per event: an incident left open (escalated, refused, waiting \
        for data) is logged when its diagnosis, decision or outcome changes, not again on every pass; its \
        remediation, refused, escalated or waiting for approval for the same reason as before, is recorded \
        once, not once per pass (see aurora heal). An open incident is diagnosed again only when an \
        anomaly event joined it, series of its absent events reported again, its status, the learned \
        patterns or the configuration changed, or its diagnosis is five minutes old; otherwise the stored diagnosis is decided on again (what changed is \
        read from the database, so a restarted watcher behaves the same). At \
        most once a minute it deletes the stored points older than watch.retention (default 7d; 0 keeps \
        them all), a few thousand per transaction. Needs the aurora-watch executable beside aurora \
        (or AURORA_WATCH_EXECUTABLE).
        """,
        options: [
            .flag("once", "run one pass and exit (cron, tests): exit 69 or 78 when the source failed; 0, saying how far behind it still is, when a catch-up needs more runs"),
            .value("listen", "HOST:PORT", env: "AURORA_LISTEN", "accept Alertmanager webhooks and serve /healthz and /metrics here"),
            .value("log-format", "FORMAT", kind: .choice(["human", "json"]), default: "human", "log lines for people, or JSON objects"),
            .value("metrics-textfile", "PATH", kind: .file, "write the watcher's metrics to this file each pass (atomically)"),
            .flag("dry-run", "decide and log everything, execute nothing"),
            .value("actor", "NAME", env: "AURORA_ACTOR", "who is acting (default: aurora)"),
        ],
        examples: [
            "aurora watch",
            "aurora watch --listen 127.0.0.1:9095 --log-format json",
            "aurora watch --once --metrics-textfile /var/lib/node_exporter/aurora.prom",
        ],
        handler: run)

    static func run(_ context: CommandContext) async throws -> ExitStatus {
        if let runner = context.services.watchRunner { return try await runner(context) }
        let executable = watchExecutable(environment: context.environment)
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw SimpleFailure(.unavailable, "\(executable) is missing: install aurora-watch beside aurora (or set AURORA_WATCH_EXECUTABLE)")
        }
        context.console.flush()
        let arguments = ["aurora-watch"] + Array(ProcessArguments.current().dropFirst())
        var pointers = arguments.map { strdup($0) } + [nil]
        execv(executable, &pointers)
        let code = errno
        throw SimpleFailure(.unavailable, "cannot start \(executable): \(String(cString: strerror(code)))")
    }

    /// `$AURORA_WATCH_EXECUTABLE`, else `aurora-watch` beside the running program.
    static func watchExecutable(environment: [String: String]) -> String {
        if let configured = environment["AURORA_WATCH_EXECUTABLE"], !configured.isEmpty { return configured }
        let program = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? URL(fileURLWithPath: CommandLine.arguments.first ?? "aurora").resolvingSymlinksInPath().path
        return URL(fileURLWithPath: program).deletingLastPathComponent().appendingPathComponent("aurora-watch").path
    }
}
