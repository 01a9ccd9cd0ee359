import AuroraCore
import AuroraStore
import Foundation

/// `aurora killswitch status|on|off|check`: halt autonomous remediation globally, per service or per
/// action type. Idempotent and script-friendly: `check` exits 0 when allowed and 77 when blocked.
enum KillSwitchCommand {
    static let scopeOptions: [OptionSpec] = [
        .flag("global", "every remediation (the default when no --service or --type is given)"),
        .value("service", short: "s", "SERVICE", "one service"),
        .value("type", short: "t", "TYPE", "one action type (e.g. service-restart)"),
    ]

    static let spec = CommandSpec(
        "killswitch",
        summary: "halt or resume autonomous remediation",
        discussion: """
        Kill switches stop remediation globally, for one service, or for one action type. Each records who \
        set it, why, and an optional expiry; every change goes to the audit trail. Turning a switch on or \
        off twice is harmless. `aurora killswitch check` is for CI gates and deploy scripts: exit 0 when \
        remediation is allowed, 77 when a switch blocks it.
        """,
        subcommands: [
            CommandSpec("status", summary: "list the kill switches in force",
                        examples: ["aurora killswitch status", "aurora killswitch status --json"], handler: status),
            CommandSpec("on", summary: "turn a kill switch on",
                        options: scopeOptions + [
                            .value("reason", short: "r", "TEXT", "why (recorded in the audit trail)"),
                            .value("until", "TIME", kind: .time, "turn off by itself at this time (e.g. +2h, 2026-12-01T08:00Z)"),
                            .value("actor", "NAME", env: "AURORA_ACTOR", "who is acting (default: $USER)"),
                        ],
                        examples: ["aurora killswitch on --global --reason 'incident 42: hands off'",
                                   "aurora killswitch on --service checkout --until +2h"],
                        handler: turnOn),
            CommandSpec("off", summary: "turn a kill switch off",
                        options: scopeOptions + [
                            .value("reason", short: "r", "TEXT", "why (recorded in the audit trail)"),
                            .value("actor", "NAME", env: "AURORA_ACTOR", "who is acting (default: $USER)"),
                        ],
                        examples: ["aurora killswitch off --service checkout"], handler: turnOff),
            CommandSpec("check", summary: "exit 0 when remediation is allowed, 77 when a switch blocks it",
                        options: [
                            .value("service", short: "s", "SERVICE", "the service to check"),
                            .value("type", short: "t", "TYPE", "the action type to check"),
                        ],
                        examples: ["aurora killswitch check --service checkout && ./deploy.sh"], handler: check),
        ])

    static func scope(_ context: CommandContext) throws -> (KillSwitchRecord.Scope, String) {
        let arguments = context.arguments
        let service = arguments.value("service")
        let type = arguments.value("type")
        let chosen = [arguments.flag("global"), service != nil, type != nil].filter { $0 }.count
        if chosen > 1 { throw UsageError("give one of --global, --service or --type") }
        if let service {
            guard !service.isEmpty else { throw UsageError("--service: empty service name") }
            return (.service, service)
        }
        if let type {
            guard !type.isEmpty else { throw UsageError("--type: empty action type") }
            return (.type, type)
        }
        return (.global, "")
    }

    static func json(_ item: KillSwitchRecord) -> JSONValue {
        .object([
            ("scope", .string(item.scope.rawValue)), ("target", item.scope == .global ? .null : .string(item.target)),
            ("reason", .string(item.reason)), ("set_by", .string(item.setBy)),
            ("set_at", .time(item.setAt)), ("expires_at", .time(item.expiresAt)),
        ])
    }

    static func status(_ context: CommandContext) async throws -> ExitStatus {
        let store = try context.store()
        let switches = try KillSwitchStore.active(in: store.database, at: context.clock.now())
        if context.json {
            context.console.out.line(JSONValue.object([("active", .array(switches.map(json)))]).rendered())
            return .success
        }
        if switches.isEmpty {
            context.console.out.line("no kill switch is on: remediation is allowed")
            return .success
        }
        var table = TableRenderer(["SWITCH", "SET BY", "SINCE", "UNTIL", "REASON"])
        for item in switches {
            table.add([item.label, item.setBy, TimeText.iso(item.setAt), item.expiresAt.map(TimeText.iso) ?? "-", item.reason])
        }
        context.console.out.write(table.render(style: context.style))
        return .success
    }

    static func turnOn(_ context: CommandContext) async throws -> ExitStatus {
        let (scope, target) = try scope(context)
        let now = context.clock.now()
        let until = try context.arguments.time("until", now: now)
        if let until, until <= now { throw UsageError("--until: \(TimeText.iso(until)) is not in the future") }
        let item = KillSwitchRecord(scope: scope, target: target, reason: context.arguments.value("reason") ?? "",
                              setBy: context.actor, setAt: now, expiresAt: until)
        let changed = try KillSwitchStore.turnOn(item, in: try context.store().database)
        if context.json {
            context.console.out.line(JSONValue.object([("changed", .bool(changed)), ("switch", json(item))]).rendered())
        } else {
            context.console.out.line("kill switch \(item.label) is on\(changed ? "" : " (it was already)")"
                                     + (until.map { " until \(TimeText.iso($0))" } ?? ""))
        }
        return .success
    }

    static func turnOff(_ context: CommandContext) async throws -> ExitStatus {
        let (scope, target) = try scope(context)
        let changed = try KillSwitchStore.turnOff(
            scope: scope, target: target, actor: context.actor, reason: context.arguments.value("reason") ?? "",
            at: context.clock.now(), in: try context.store().database)
        let label = scope == .global ? "global" : "\(scope.rawValue):\(target)"
        if context.json {
            context.console.out.line(JSONValue.object([("changed", .bool(changed)), ("switch", .string(label))]).rendered())
        } else {
            context.console.out.line("kill switch \(label) is off\(changed ? "" : " (it was not on)")")
        }
        return .success
    }

    static func check(_ context: CommandContext) async throws -> ExitStatus {
        let path = try context.databasePath()
        // No database yet means no switch was ever set: allowed. Never create one from a check.
        guard FileManager.default.fileExists(atPath: path) else {
            if context.json { context.console.out.line(#"{"allowed":true,"blocked_by":[]}"#) }
            return .success
        }
        let store = try Store(path: path, options: Database.Options(readOnly: true, create: false))
        let blocking = try KillSwitchStore.blocking(
            service: context.arguments.value("service"), type: context.arguments.value("type"),
            in: store.database, at: context.clock.now())
        if context.json {
            context.console.out.line(JSONValue.object([("allowed", .bool(blocking.isEmpty)),
                                                      ("blocked_by", .array(blocking.map(json)))]).rendered())
        } else if !blocking.isEmpty && !context.quiet {
            for item in blocking {
                context.console.err.line("blocked by kill switch \(item.label) (set by \(item.setBy)"
                                         + (item.reason.isEmpty ? "" : ": \(item.reason)") + ")")
            }
        }
        return blocking.isEmpty ? .success : .refused
    }
}
