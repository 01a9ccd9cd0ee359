import AuroraConfig
import AuroraCore
import AuroraStore
import Foundation

/// `aurora init`: writes a commented starter configuration and creates the database.
enum InitCommand {
    static let spec = CommandSpec(
        "init",
        summary: "write a commented starter aurora.yaml and create the database",
        discussion: """
        Writes every configuration key with its default and a comment to ./aurora.yaml (or --output), and \
        creates the database (mode 0600) with the current schema. An existing configuration file is never \
        overwritten without --force, and only a regular file (or a link to one) is ever overwritten: device \
        nodes, FIFOs and other special files are refused.
        """,
        options: [
            .value("output", short: "o", "PATH", kind: .file, default: "aurora.yaml", "where to write the configuration"),
            .flag("force", short: "f", "overwrite an existing configuration file"),
            .flag("no-database", "write the configuration only"),
        ],
        examples: ["aurora init", "aurora init --output /etc/aurora/aurora.yaml --db /var/lib/aurora/aurora.db"],
        handler: run)

    static func run(_ context: CommandContext) async throws -> ExitStatus {
        let output = context.path(context.arguments.value("output") ?? "aurora.yaml")
        // Anything but a regular file (a device node, a FIFO, /proc/self/fd/N) is refused even with
        // --force: replacing /dev/null with a regular file breaks the machine.
        let exists = try RegularFileWriter.inspect(output) == .regularFile
        if exists && !context.arguments.flag("force") {
            throw SimpleFailure(.cannotCreate, "\(output): already exists (use --force to overwrite)")
        }
        let folder = (output as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try RegularFileWriter.write(Data(ConfigWriter.starterFile().utf8), to: output)
        var database: String?
        if !context.arguments.flag("no-database") {
            let path = context.arguments.value("db").map(context.path) ?? Paths.defaultDatabase(environment: context.environment)
            let store = try Store(path: path)
            try store.database.write { db in
                try AuditLog.append(AuditEntry(at: context.clock.now(), actor: context.actor, action: "init",
                                               subject: "database", detail: "schema \(Schema.latestVersion)"), to: db)
            }
            database = path
        }
        if context.json {
            context.console.out.line(JSONValue.object([
                ("config", .string(output)), ("database", .optional(database)),
                ("schema_version", .integer(Int64(Schema.latestVersion))),
            ]).rendered())
        } else {
            context.console.out.line("wrote \(output)\(exists ? " (overwritten)" : "")")
            if let database { context.console.out.line("database \(database) (schema \(Schema.latestVersion))") }
        }
        return .success
    }
}
