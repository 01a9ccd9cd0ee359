@testable import AuroraCLI
import Testing

@Suite struct ParserTests {
    static let root = CommandSpec("aurora", summary: "test", subcommands: [
        CommandSpec("detect", summary: "detect",
                    options: [
                        .value("detector", short: "d", "NAME", kind: .choice(["zscore", "mad"]), repeatable: true, "which"),
                        .value("window", short: "w", "N", kind: .integer, default: "100", "window"),
                        .value("since", "TIME", kind: .time, "since"),
                        .flag("exit-code", short: "e", "exit 1 on findings"),
                        .value("service", "NAME", env: "TEST_SERVICE", "service"),
                    ],
                    arguments: [ArgumentSpec("FILE", kind: .file, optional: true, variadic: true, "files")],
                    handler: { _ in .success }),
        CommandSpec("db", summary: "db", subcommands: [
            CommandSpec("status", summary: "status", handler: { _ in .success }),
            CommandSpec("backup", summary: "backup", arguments: [ArgumentSpec("PATH", kind: .file, "target")],
                        handler: { _ in .success }),
        ]),
    ])
    static let parser = CommandLineParser(root: root, globalOptions: CommandTable.globalOptions)

    func parse(_ argv: [String], env: [String: String] = [:]) -> CommandLineParser.Outcome {
        Self.parser.parse(argv, environment: env)
    }

    @Test func longOptionsWithSpaceOrEquals() {
        let a = parse(["detect", "--window", "50", "x.csv"])
        let b = parse(["detect", "--window=50", "x.csv"])
        #expect(a.error == nil && b.error == nil)
        #expect(a.arguments.int("window") == 50 && b.arguments.int("window") == 50)
        #expect(a.arguments.positionals == ["x.csv"])
    }

    @Test func combinedShortFlagsAndAttachedValues() {
        let outcome = parse(["detect", "-qew20", "f"])
        #expect(outcome.error == nil)
        #expect(outcome.arguments.flag("quiet") && outcome.arguments.flag("exit-code"))
        #expect(outcome.arguments.int("window") == 20)
        #expect(outcome.arguments.positionals == ["f"])
    }

    @Test func doubleDashEndsOptionsAndDashIsStdin() {
        let outcome = parse(["detect", "-", "--", "--not-an-option", "-q"])
        #expect(outcome.error == nil)
        #expect(outcome.arguments.positionals == ["-", "--not-an-option", "-q"])
        #expect(!outcome.arguments.flag("quiet"))
    }

    @Test func repeatedOptionsAccumulateAndCommasSplit() {
        let outcome = parse(["detect", "-d", "zscore", "--detector=mad", "--detector", "zscore,mad"])
        #expect(outcome.error == nil)
        #expect(outcome.arguments.list("detector") == ["zscore", "mad", "zscore", "mad"])
    }

    @Test func defaultsAndEnvironmentApplyWhenAbsent() {
        let outcome = parse(["detect"], env: ["TEST_SERVICE": "checkout", "AURORA_DB": "/tmp/x.db"])
        #expect(outcome.arguments.int("window") == 100)
        #expect(outcome.arguments.value("service") == "checkout")
        #expect(outcome.arguments.value("db") == "/tmp/x.db")
        #expect(outcome.arguments.origins["db"] == "$AURORA_DB")
        let explicit = parse(["detect", "--service", "cart"], env: ["TEST_SERVICE": "checkout"])
        #expect(explicit.arguments.value("service") == "cart")
    }

    @Test func globalOptionsWorkBeforeAndAfterTheCommand() {
        let before = parse(["--db", "a.db", "--json", "db", "status"])
        let after = parse(["db", "status", "--db=a.db", "--json"])
        for outcome in [before, after] {
            #expect(outcome.error == nil)
            #expect(outcome.arguments.commandPath == ["db", "status"])
            #expect(outcome.arguments.value("db") == "a.db")
            #expect(outcome.arguments.flag("json"))
        }
    }

    @Test(arguments: [
        (["detcet"], "unknown command 'detcet' for 'aurora' (did you mean 'detect'?); see 'aurora --help'"),
        (["db", "stauts"], "unknown subcommand 'stauts' for 'aurora db' (did you mean 'status'?); see 'aurora db --help'"),
        (["detect", "--windw", "3"], "unknown option '--windw' for 'aurora detect' (did you mean '--window'?)"),
        (["detect", "--window"], "option '--window' needs a value (N)"),
        (["detect", "--window", "ten"], "--window: `ten` is not an integer"),
        (["detect", "--detector", "zscor"], "--detector: `zscor` is not one of zscore, mad (did you mean 'zscore'?)"),
        (["detect", "--exit-code=yes"], "option '--exit-code' takes no value"),
        (["detect", "-x"], "unknown option '-x' for 'aurora detect'"),
        (["frobnicate"], "unknown command 'frobnicate' for 'aurora'; see 'aurora --help'"),
    ])
    func usageErrorsNameTheProblemAndTheNearestValidName(argv: [String], message: String) {
        #expect(parse(argv).error?.message == message)
    }

    @Test func positionalCountsAreChecked() {
        let missing = parse(["db", "backup"])
        #expect(missing.error == nil)
        #expect(Self.parser.checkPositionals(missing.arguments, for: missing.command)?.message
                == "'aurora db backup' needs PATH (target); see 'aurora db backup --help'")
        let extra = parse(["db", "backup", "a", "b"])
        #expect(Self.parser.checkPositionals(extra.arguments, for: extra.command)?.message
                == "unexpected argument 'b' for 'aurora db backup'; see 'aurora db backup --help'")
    }

    @Test func valuesMayStartWithADash() {
        let outcome = parse(["detect", "--since", "-1h"])
        #expect(outcome.error == nil)
        #expect(outcome.arguments.value("since") == "-1h")
    }
}
