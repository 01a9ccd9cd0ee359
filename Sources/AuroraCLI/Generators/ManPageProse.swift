import AuroraConfig
import AuroraCore
/// The hand-written sections of the man page (the rest comes from the command table).
enum ManPageProse {
    struct Section {
        let title: String
        let body: String
    }

    static let beforeCommands: [Section] = [
        Section(title: "CONVENTIONS", body: """
        Options follow POSIX and GNU conventions: --opt value, --opt=value, -o value, combined short flags \
        (aurora slo -qe), and -- to end options. A file argument of - reads standard input. Unknown commands and \
        options are refused with a suggestion of the nearest valid name (exit 64); nothing is ever guessed \
        and run.

        Standard output carries data (tables, --json); standard error carries notes, progress and errors. \
        Colour is used only on a terminal, when NO_COLOR is unset, TERM is not dumb, and --no-color is not given.
        """),
    ]

    /// The default of a key of an action (`health-check.retries`) as the configuration schema spells it, so
    /// that the prose says what runs.
    private static func schemaDefault(_ actionKey: String) -> String {
        ConfigSchema.key(at: "remediation.actions.*." + actionKey)?.defaultValue ?? "(no default)"
    }

    static let afterCommands: [Section] = [
        Section(title: "ENVIRONMENT", body: """
        AURORA_DB: the database path, as --db.

        AURORA_CONFIG: the configuration file, as --config.

        XDG_STATE_HOME, XDG_CONFIG_HOME: base folders for the default database and configuration.

        NO_COLOR: when set and not empty, no colour is used.

        USER: the actor recorded in the audit trail when --actor is not given.

        AURORA_LISTEN: the address of aurora watch's listener, as --listen.

        AURORA_WATCH_EXECUTABLE: the aurora-watch executable aurora watch runs (default: beside aurora).
        """),
        Section(title: "FILES", body: """
        ./aurora.yaml, then $XDG_CONFIG_HOME/aurora/aurora.yaml (~/.config/aurora/aurora.yaml): the \
        configuration, root key aurora:. Without either, built-in defaults apply.

        $XDG_STATE_HOME/aurora/aurora.db (~/.local/state/aurora/aurora.db): the SQLite database, created \
        with mode 0600 in a folder of mode 0700, in WAL mode (with its -wal and -shm files beside it).
        """),
        Section(title: "CONFIGURATION", body: """
        aurora init writes a commented starter file with every key and its default. Durations are written \
        300s, 5m or 1h30m. Secrets never belong in the file: keys that need one name an environment variable \
        instead, and aurora config show redacts secret values.

        aurora config check [FILE…] reports every problem it finds in one run, as a linter does: each \
        unknown key, wrong type, bad duration, value out of range and action that could do nothing as \
        file:line:column: message, in file order, with the warnings among them, then a count; it exits 78 \
        when a file has an error, 0 otherwise (warnings alone fail only with --strict, for CI). A key that \
        is invalid is not reported a second time as missing from its block. Invalid YAML and a repeated key \
        stop the reading, so they come alone. Every other command stops at a file with errors (exit 78), \
        printing each error but not the warnings. With --json, one object per file: valid, file, issues \
        (the errors) and warnings, each problem with file, line, column, message, a kind that scripts may \
        match (invalid-yaml, not-utf8, duplicate-key, too-large, root-key, unknown-key, wrong-type, \
        out-of-range, invalid-value, missing-key, conflict; ignored-key for a warning) and its dotted key \
        (null for the whole file).

        aurora config show prints the effective configuration: the file's values with every default filled \
        in, and what it prints is what runs. Inside an action under remediation.actions, a block is filled \
        only when the action gives it: an action without a health-check, rollback or http block shows none. \
        A health-check block tries \(schemaDefault("health-check.retries")) more times after a failing try \
        (retries), \(schemaDefault("health-check.interval")) apart (interval), each try at most \
        \(schemaDefault("health-check.timeout")) (timeout); an http executor sends \(schemaDefault("http.method")), \
        expects a status in \(schemaDefault("http.expected-status")) (expected-status) and retries \
        \(schemaDefault("http.retries")) times on connection errors, 5xx and 429 (retries); a health check's http \
        probe sends \(schemaDefault("health-check.http.method")) and is tried once per try of the check; a \
        rollback may run \(schemaDefault("rollback.timeout")) (timeout), an action \(schemaDefault("timeout")).

        A block of an action that could do nothing is a configuration error at the block (exit 78, from every \
        command that reads the file, and from aurora config check): an action or its rollback with none of \
        command, shell or http, or more than one; a health-check with neither command nor http; an http block \
        without a url (remediation.actions.NAME.http: missing url); an empty command; an action without a \
        type. The executor's and the probe's http blocks accept the same keys, but a key one of them does not \
        use (retries or body in a health check's http, body-contains in an executor's, an http probe beside a \
        health check's command) is ignored: the file still loads, and each such key is reported on standard \
        error as file:line:column: warning: KEY: ignored here: why (silenced by --quiet; "warnings" in \
        aurora config check --json).
        """),
        Section(title: "COUNTERS", body: """
        A cumulative counter (requests served, bytes sent) only rises, apart from resets when its process \
        restarts; what carries the signal is its rate, as Prometheus' rate() computes it. --rate, on every \
        command that reads metric dumps, turns counters into per-second rates between consecutive points, a \
        decrease counting as a reset after which the new value is all new increase; the first point has no \
        rate and is dropped. The rate is a series of its own, named after the counter with :rate appended \
        (requests:rate), so a counter stored raw is never overwritten by its rates. A series is a counter when it is declared one (# TYPE name counter in an \
        exposition, histogram and summary _bucket, _count and _sum, or a name ending _total) or when its \
        values have a counter's shape: ten points or more, never negative, never falling except by a reset (a \
        drop below half the value before), at most one reset per 50 steps, at least ten rises per reset, and \
        rising at 5% of its steps or more and in 7 of its 10 parts. Without --rate, each counter read gets a \
        note on standard error (five are named, the rest counted); with it, each series rated because of its \
        shape does. aurora detect of stored series notes the raw counters among them too. Rows kept in file order (detect --emit scores, which says so when given --rate, and eval) are never rated.
        """),
        Section(title: "SPARSE COUNTS", body: """
        A count that is zero most of the time (errors, restarts) has no robust spread: most of its residuals \
        are the jitter of the expected rate around zero, so to the seasonal detector a count of 2 looks like a \
        dozen sigmas, and such a series pages a few times a day (a generated count of 0.2 errors per 5 \
        minutes: 58 to 92 events in four weeks). aurora detect notes each series that is a sparse count (whole \
        numbers, none negative, at least half zeros, 30 points or more) and raised two events or more. An \
        override that judges it by its standard deviation, overrides: [{match: '{__name__=~".*errors.*"}', \
        seasonal: {scale-floor: 1}}] under detection:, brings that count to about a dozen events in four weeks \
        (scale-floor: 2, to one or none), while a burst of 30 times its usual rate for half an hour still pages.
        """),
        Section(title: "WHOLE NUMBERS", body: """
        A series whose values have all been whole numbers (counts, replicas, queue depths) is judged by the \
        seasonal detector on a residual scale of at least 1/√12 of a step (detection.seasonal.integer-scale), \
        the standard deviation rounding adds by itself (Sheppard's correction). Such a gauge's MAD is often only \
        the jitter of its profile around the value it mostly holds, so one step scored a dozen sigmas: a queue \
        depth of 10 that is sometimes 9 or 11 paged 515 to 601 times in four weeks, now 0 to 5 (two-step \
        draws). One step is 3.5 scales, two steps page; a series that was constant until it moves still pages. \
        Set integer-scale: 0 to judge whole numbers by their MAD alone.
        """),
        Section(title: "SHORT HISTORIES", body: """
        The ensemble judges a point against what the series has done: its profile, its residuals' spread, \
        and the largest deviations of its last 6000 points (detection.novelty-horizon: three weeks of \
        5-minute data, four days of minute data, a day of 15 s scrapes). Until a series has filled that \
        memory its routine extremes are not known yet, so it pages more often on noise: scored on its own, an \
        unlabelled stretch of real series raises two to six times the events it raises with its history before \
        it (133 against 26 on 78 stretches of 240 points of NAB, 96 against 41 on 86 of cloudmon). Making \
        young series stricter was measured and rejected, because it also misses faults early in a series \
        (docs/detection-experiments.md). So every event says how much history it was judged on \
        (history_points and short_history in detect --json, kept with the stored event), and aurora detect \
        counts the events raised on a short history in a note on standard error: weigh them as leads, or give \
        detect more history (a longer dump, or ingest the series first). An incident whose every anomaly came \
        from a short history says so (history in incidents show; a history annotation on its alert under \
        watch). A stored series keeps its count across runs; a state saved by a release before this count \
        counts as a long history, and an event recorded before it as one of unknown history.
        """),
        Section(title: "EVENT CONFIDENCE", body: """
        An event's confidence (a percentage in the detect table, 0 to 1 in --json) is the probability that it \
        marks a real fault, fitted on outcomes: the default ensemble's events on the NAB and cloudmon corpora \
        were matched against their labelled windows, and a logistic regression from the event's peak score \
        to that outcome gives 28% at the paging threshold, 42% at a score of 0.5 and 70% at 1. Events below 50% \
        were right about a third of the time, those at 50 to 70% 72%. Refitted with each category left out, \
        its expected calibration error is 0.08 per corpus (0.04 in-sample). No event alone comes near the 0.9 \
        at which aurora executes a diagnosis' remedy by itself: one event is a lead for a person. The corpora \
        label about a tenth of each series as anomalous; where faults are rarer, so are real events. \
        aurora eval shows how it holds on your own labels and the model they would fit. An event raised only \
        by configured rules has none (null; rule in the table): the rule is the operator's statement. \
        agreement in --json is the share of the ensemble's weight that voted. The confidence is kept with the \
        stored event: incidents show gives each anomaly's, and the likeliest one's as the incident's evidence; \
        watch's alert carries it as the anomaly_confidence annotation. detect --min-confidence P reports, and \
        lets --exit-code count, only events at least P likely (and rule events); the rest are still recorded. \
        On the corpora 0.5 lifts event precision from 0.40 to 0.76 on NAB and from 0.36 to 0.67 on cloudmon, \
        and finds 22 of NAB's 67 windows (64 without it) and 44 of cloudmon's 218 (135).
        """),
        Section(title: "RETENTION", body: """
        Stored points are the one thing that grows with time. aurora watch deletes the points older than \
        watch.retention (default 7d; 0 keeps every point) at most once a minute; aurora db prune \
        --older-than DURATION does the same for a database no watcher prunes (--dry-run counts). Both delete \
        a few thousand points per transaction, so other aurora processes never wait long for the lock, and \
        keep series, detector state, anomaly events, incidents and the audit log, and any point a series' \
        detectors have not scored yet. Anomaly events that ended before the retention and never joined an \
        incident are no longer read by the watcher's grouping. watch.retention shorter than \
        diagnosis.history-window is refused \
        by aurora config check (exit 78): diagnosis reads that much history before an incident. Freed pages \
        are reused by new points and the file does not shrink; VACUUM a stopped database to shrink it.
        """),
        Section(title: "CATCH-UP", body: """
        When aurora watch has been stopped for a while, or starts with a long watch.backfill, the queries \
        are read from their watermarks in rounds. Each round asks every query that is behind for its next \
        sub-window, sized so that the round's answers together hold about 750,000 points (the series of each \
        query's previous answer times the steps; a query never answered yet is sized for 10,000 series): a \
        query whose whole rest fits an equal share reads it whole, the others split what is left, each at \
        least one step, and never more than 11,000 points per series. Each round is stored with its \
        watermarks before the next is asked, so memory stays bounded however many queries are behind, and a \
        failure half-way keeps what was stored. A pass reads at most 8 rounds, logs "catching up: X of Y \
        windows of Q read, up to T, D behind" per query and leaves the rest to the next pass, so detection \
        and alerts go on meanwhile. Such a pass ends with a line saying how far the source is still behind \
        (event behind; JSON fields behind_seconds, read_until, queries_behind), and the gauge \
        aurora_watch_source_behind_seconds holds it (0 once caught up). Detection goes on from each \
        series' own watermark and the absent-data rule waits for a query's whole catch-up, but a query \
        with fewer series reads further per pass than one with many: while some are behind, an incident \
        that reaches past what every query has read is not diagnosed or remediated ("waiting for the source \
        to catch up") until all have, since an analysis without the lagging queries' points ranks only the \
        services read further. aurora watch --once exits 0 when its catch-up needs more runs (nothing \
        failed, and each run gets further), the behind line a warning that says to run it again; the next \
        run goes on from the watermarks, and from the absent-data baseline the previous run stored (below). \
        An answer over 256 MiB is asked again in two halves, up to 4 times, before the query is reported as \
        failed. A series missing from some sub-windows of a catch-up but present in another is not reported \
        as disappeared. The absent-data baseline (the series of each query's last complete answer and when \
        it ended, and those an unfinished catch-up has seen so far) is kept in the database (schema 17), \
        compared and replaced in the transaction that stores the answer: an aurora watch --once run (cron) \
        or a restarted watcher compares its first answer (the whole catch-up, however many runs it takes) \
        with what the previous process stored, so a target that stopped between two runs, or while the \
        watcher was down, is reported, once: a later run finds its series gone from the baseline too, and \
        two processes never both report one departure. An answer ending no later than the stored baseline \
        changes nothing; a query's very first complete answer only sets it. The baseline belongs to \
        the query's text: an edited query starts afresh (its old answer's series are not reported), and \
        the baseline of a query no longer configured is deleted. aurora series drop removes the series it \
        drops from every baseline in the same transaction: a retired series is not reported when it leaves \
        the source, and one still answered joins the baseline again. A baseline older than watch.retention is \
        replaced without being compared: what stopped that long ago is not news. About 120 bytes a series; \
        a pass over an unchanged answer of 10,000 series writes one row and spends about 4 ms on it, a new \
        process reading the 10,000 back about 18 ms. \
        Series that leave one answer together (a target down, a scrape timing out) are one absent event \
        per service, whose source says how many series it stands for, and one log line per query; a \
        series gone again while the incident of its last departure is unresolved, within \
        diagnosis.incident-gap of its end, extends that event and the incident's span instead of adding one. \
        aurora ingest --prometheus reads its window in the same rounds, each in its own transaction. \
        Points that extend a series wait in a small table of recent points and one eighth of the series is \
        moved into the stored history per pass, in a turn kept in the database: every read sees both.
        """),
        Section(title: "ACTING ON A DIAGNOSIS", body: """
        A diagnosis' confidence is the chance that its candidate is the root if there is a fault: it was \
        fitted on fault injections, all of them real. Most anomalies are not faults, so the loop (heal, \
        watch, demo) decides a remediation on the product of two probabilities: that the incident is a real \
        fault, and that its cause is the diagnosed one. The first is 1 when one of detection.rules fired on \
        the incident, or an Alertmanager alert watch received on its webhook joined it (a rule is the \
        operator's statement that the condition is a fault); otherwise the \
        strongest anomaly event's fitted confidence (at most about 0.7; several series are not combined, \
        because whether they corroborate or echo each other was never measured on labelled incidents); for \
        events stored without a confidence it is not measured, and the decision stays below the line where \
        aurora acts alone. Without a rule the acting confidence is held below that line too ("under 70% (no \
        rule vouches for the fault)"): the fitted event confidence reaches 0.7 only at its top, where it was \
        right 11 times in 18 on the development corpora and 5 in 13 with the category left out of the fit. An \
        anomaly alone is therefore always a lead for a person, and a fault a rule vouches for runs on the \
        cause's confidence. An incident matched to a learned pattern is decided on the pattern's \
        confidence. heal prints the weighing on a decide line ("fault real 69% (strongest anomaly) × cause \
        76% → 52%, approval"); heal --json carries confidence (the cause's), fault_probability, fault_basis \
        (rule, anomaly, unmeasured), acting_confidence, and tier, what the acting confidence allows; the \
        remediation's record keeps the acting confidence, and watch's log line of the diagnosis the weighing. \
        diagnose shows it beside each cause of a stored incident, and its --json adds fault (probability, \
        basis); incidents show has a fault line and the same fault in --json; the incident keeps the tier its \
        remediation was decided by, which its alert's severity label rests on, and the alert carries the \
        acting confidence as acting_confidence beside the cause's confidence; a remediation the policy \
        escalates escalates its incident; a post-mortem (--at) is not weighed, because the person who named the incident vouches for \
        it. A dry run says what the request would meet: \
        "dry run: would wait for approval; needs approval (confidence.0.5-0.7)".
        """),
        Section(title: "STALE INCIDENTS", body: """
        The loop (heal, watch, demo) does not remediate by itself a fault it no longer sees. When it asks for \
        an incident's remediation, the incident's last anomalous point is compared with the loop's clock: \
        older than remediation.stale-after (default \(ConfigSchema.key(at: "remediation.stale-after")?.defaultValue ?? "15m"), \
        three times diagnosis.incident-gap), a remediation that would execute by itself is refused by rule \
        stale.incident, checked after every other rule, with a reason naming when the fault was last seen and \
        what a fresh incident would get ("fresh, it would execute with monitoring (tier.medium)"). The \
        incident is still grouped, diagnosed and recorded; the refusal is a remediation row like any other \
        (queue --all, incidents show under Remediations, the audit trail's stale-incident check, heal --json \
        rule, the watcher's log and the alert's action), recorded once however many passes ask again, and \
        heal ends with a note naming the incidents. An incident still anomalous at its newest point ends \
        there: under a live watcher a step or so ago, so a fault still going on is fresh; in an old dump, or \
        from a source that stopped, the newest point is old too. Anomalies that come back extend the incident \
        and make it fresh again. An incident whose remediation needs an approval or goes to a human is \
        queued or escalated as before, and aurora remediate and aurora approve are never refused as stale: a \
        person chose to act. heal --dry-run says the same. 0 lifts the limit, for replaying old data (the \
        configuration demo --write-data writes sets it: its files are dated January 2026). aurora config \
        check refuses a limit not longer than watch.interval + sources.prometheus.step, the age a fault still \
        going on can have when a pass first sees it.
        """),
        Section(title: "INCIDENTS THAT RECOVER BY THEMSELVES", body: """
        Most incidents are transients that end without anyone acting. As Prometheus resolves an alert whose \
        condition cleared, the loop (heal, watch, demo) resolves an unresolved incident once it has been \
        quiet for diagnosis.recovered-after (default \(ConfigSchema.key(at: "diagnosis.recovered-after")?.defaultValue ?? "30m"), \
        six incident gaps; 0 never). Quiet is read from the data and the loop's clock, not the wall clock: \
        no anomaly on any of the incident's series since its last one, every series it rests on reporting \
        past the whole period, and the clock past it too. heal over a dump resolves an incident followed by \
        enough normal data and leaves one at the dump's end open; series that stopped reporting (absent \
        events) have not recovered while missing, and their quiet starts when they report again. The \
        incident is diagnosed and its decision recorded first, as in every pass; then it is resolved in one \
        transaction ("recovered without action after 30m quiet: no anomaly on its series and all reporting \
        from T1 to T2": the heal step, the watcher's resolved event, the alert's action, incidents show's \
        resolution line and recovered timeline entry, "resolved (recovered)" in incidents list, \
        recovered_without_action in --json), audited as incident.recovered by the loop's actor, and its \
        alert posted resolved. Nothing is learned from it. The SLO report counts it in precision, but neither \
        in MTTR nor in auto-resolution: nothing was restored. An incident with a remediation queued for \
        approval, approved, running or failed is left to the person or the remediation, and one a person \
        reopened is theirs to resolve; a queued approval \
        stays until decided or expired by approval.pending-ttl. heal --dry-run only says what it would \
        resolve. aurora config check refuses a period not longer than diagnosis.incident-gap.
        """),
        Section(title: "SERIES THAT STOP REPORTING", body: """
        An absent event (series that left the live source's answers) has no change to measure. An incident \
        whose anomalies are all absent events is diagnosed as what is known: each service whose series \
        stopped is a candidate, most series first, with the cause "Stopped reporting: its series left the \
        source's answers." and evidence saying how many series (those of the service that reported within \
        diagnosis.history-window before and have no point in the step where the event began), since when, their last point, \
        and whether they came back. Services that stopped at the same moment are named together: what they \
        share (one target, the scraping, the network) is the likelier cause. No metric says why they \
        stopped, so the confidence is 0, not a measurement: diagnose, incidents list and show, heal, the HTML \
        report, watch's log and its alert's confidence annotation say "not measured" instead. No \
        remediation is recommended, and the incident goes to a human whatever diagnosis.confidence-tiers \
        says; it is diagnosed the same while the series are gone and after they return, and under watch \
        their return (a point after the event) makes the next pass diagnose it again though no event \
        changed. With --json the candidate carries confidenceMeasured (false), silence and the diagnosis \
        silences; heal --json and incidents --json keep confidence 0 with confidence_measured false. An incident with \
        ordinary anomalies too is analysed as usual over the series that kept reporting; the silent \
        services join its candidates after those at approval or above and before the weaker ones.
        """),
        Section(title: "CONCURRENCY", body: """
        Several aurora processes may use one database at once. Every state change is one SQLite transaction \
        begun with BEGIN IMMEDIATE, so concurrent writers queue instead of losing updates; a writer waits up \
        to 10 seconds for the lock (and retries briefly) before failing with exit 75.
        """),
        Section(title: "GUARANTEES", body: """
        Concurrency: any number of aurora processes may use one database at once. Every write is one \
        transaction begun with BEGIN IMMEDIATE (with a bounded retry), and commands that read before they \
        write decide inside that transaction, so no update is lost and SQLITE_BUSY reaches no one unless \
        another process holds the write lock for more than 10 seconds (exit 75). A long reader never \
        blocks writers; once it ends, the next commit checkpoints and truncates a write-ahead log that \
        grew past 4 MiB, 256 MiB for aurora watch, which writes tens of megabytes a pass (aurora db status \
        and aurora db check show its size).

        Crashes: a command killed at any moment leaves a database that passes PRAGMA integrity_check: a \
        transaction that reported success is there, an interrupted one is entirely absent, and audit \
        entries are never rewritten. Commits are synced to disk (synchronous=FULL), except those of data \
        aurora can read or compute again (live points and their watermarks, detector checkpoints and the \
        events they found: synchronous=NORMAL): a power loss can take back the last seconds of those, \
        which the next pass reads and scores again, never anything a later synced commit depends on. \
        The next command recovers the -wal and -shm files a crash leaves. \
        aurora never deletes -wal, -shm or -journal files itself, and neither should you: they can hold \
        committed data.

        Disk full: a write that runs out of space exits 74 with a message naming the database and \
        "database or disk is full" (a file-size limit such as ulimit -f shows as a disk I/O error naming \
        that limit); the transaction is rolled back, reads keep working, the database stays intact.

        Bad input: a malformed metric file is refused with file:line:column: message and exit 65, and \
        nothing is stored: one aurora ingest is one transaction over all its files, and the error names \
        the bad one. NaN and Inf values, and missing samples in a CSV (an empty cell, NA, N/A, null, \
        None), are skipped and counted, repeated timestamps keep the last value, out-of-order points are sorted, \
        two NAB files of one name over the same times (host1/cpu.csv, host2/cpu.csv) are two series told apart by a file \
        label instead of one overwriting the other, seconds and milliseconds are told apart by magnitude, and a BOM \
        or CRLF line ends are read as plain text. Fuzzed input never crashes or hangs ingestion; a line \
        longer than 64 MiB is refused. Control characters in series names and label values are shown \
        escaped in tables (\\e, \\x07, \\n), never sent to the terminal raw; --json keeps them, JSON-escaped.

        Memory: inputs are streamed in every format from every source (JSON documents from a pipe or \
        gzip through a sliding window); aurora ingest keeps the points and series of one invocation in \
        memory until it writes them, so its peak resident set stays below 64 MiB plus 48 bytes per point \
        plus 320 bytes per series. gzip input may inflate to at most 16 GiB, and to at most 100 times its \
        compressed size past its first 16 MiB; beyond either it is refused with exit 65.

        Read-only database: when the file or its folder is not writable for the user, aurora opens it \
        read-only: killswitch status, killswitch check, series list, db status, db check, queue, audit, \
        freeze list and incidents list work (queue and audit show remediations as last recorded, with a \
        note), and writing commands fail at once with exit 73, the path and the permissions to fix. In a read-only \
        folder without a -shm file the database is opened immutable (with a note), unless its -wal still \
        holds data, which aurora then reports (exit 73).

        Corruption: aurora db check exits 65 listing the damage. A write that touches damaged pages fails \
        with exit 65 and stores nothing; remediate, approve and heal check the whole file before acting and refuse with exit 65 (fail closed); \
        aurora killswitch on keeps working while its own table is intact. Restore from aurora db backup, \
        which copies one consistent moment while other processes keep writing, under a hidden temporary \
        name that takes the target's name only when complete: an interrupted backup leaves nothing at \
        the target.

        Clock jumps: executor timeouts, kill grace and health-check intervals run on the monotonic clock, \
        so a wall clock stepped forward or back mid-run neither stops an action early nor lets it overrun; \
        the timeout's signals come from a timer thread of their own, so a busy aurora cannot delay them. \
        Rate-limit windows count every recorded start, also ones "in the future" after the clock went \
        back. A kill switch's --until never expires early because the clock went back; the first \
        remediation command past it records the expiry (audit: killswitch.expired) and the switch then \
        stays off. Queued items expire once. approve refuses (exit 77, rule approval.from-the-future) a \
        request dated more than 60 seconds after its own clock.

        HTTP: an untrusted certificate fails the action as a TLS error, not retried and never a success.

        Not promised: on network file systems (NFS, SMB/CIFS, AFS, Ceph, Coda, NCP, Lustre, detected with \
        statfs on the database folder) aurora does not use WAL, whose shared memory they do not provide \
        across hosts: it keeps the rollback journal and warns on every command, and one database used \
        from several hosts at once is not supported. Nor is safety against other programs writing the \
        file or deleting its -wal, or a disk that acknowledges writes it has not made durable.
        """),
        Section(title: "SEE ALSO", body: """
        sqlite3(1), readline(3). The README in aurora's source tree walks through a first session.
        """),
    ]
}
