/// The hand-written sections of the man page (the rest comes from the command table).
enum ManPageProse {
    struct Section {
        let title: String
        let body: String
    }

    static let beforeCommands: [Section] = [
        Section(title: "CONVENTIONS", body: """
        Options follow POSIX and GNU conventions: --opt value, --opt=value, -o value, combined short flags \
        (-qj), and -- to end options. A file argument of - reads standard input. Unknown commands and \
        options are refused with a suggestion of the nearest valid name (exit 64); nothing is ever guessed \
        and run.

        Standard output carries data (tables, --json); standard error carries notes, progress and errors. \
        Colour is used only on a terminal, when NO_COLOR is unset, TERM is not dumb, and --no-color is not given.
        """),
    ]

    static let afterCommands: [Section] = [
        Section(title: "ENVIRONMENT", body: """
        AURORA_DB: the database path, as --db.

        AURORA_CONFIG: the configuration file, as --config.

        XDG_STATE_HOME, XDG_CONFIG_HOME: base folders for the default database and configuration.

        NO_COLOR: when set and not empty, no colour is used.

        USER: the actor recorded in the audit trail when --actor is not given.
        """),
        Section(title: "FILES", body: """
        ./aurora.yaml, then $XDG_CONFIG_HOME/aurora/aurora.yaml (~/.config/aurora/aurora.yaml): the \
        configuration, root key aurora:. Without either, built-in defaults apply.

        $XDG_STATE_HOME/aurora/aurora.db (~/.local/state/aurora/aurora.db): the SQLite database, created \
        with mode 0600 in a folder of mode 0700, in WAL mode (with its -wal and -shm files beside it).
        """),
        Section(title: "CONFIGURATION", body: """
        aurora init writes a commented starter file with every key and its default. Durations are written \
        300s, 5m or 1h30m. aurora config check reports unknown keys, wrong types and bad durations as \
        file:line:column: message and exits 78. Secrets never belong in the file: keys that need one name an \
        environment variable instead, and aurora config show redacts secret values.
        """),
        Section(title: "CONCURRENCY", body: """
        Several aurora processes may use one database at once. Every state change is one SQLite transaction \
        begun with BEGIN IMMEDIATE, so concurrent writers queue instead of losing updates; a writer waits up \
        to 10 seconds for the lock (and retries briefly) before failing with exit 75.
        """),
        Section(title: "SEE ALSO", body: """
        sqlite3(1), readline(3). The README in aurora's source tree walks through a first session.
        """),
    ]
}
