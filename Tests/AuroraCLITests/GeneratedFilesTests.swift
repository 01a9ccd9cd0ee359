@testable import AuroraCLI
import Foundation
import Testing

/// The committed completions and man page are generated from the command table; these fail when they
/// drift. Regenerate with `aurora completions SHELL > completions/FILE` and `aurora manpage > man/aurora.1`.
@Suite struct GeneratedFilesTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func committed(_ relative: String) throws -> String {
        try String(contentsOf: Self.repositoryRoot.appendingPathComponent(relative), encoding: .utf8)
    }

    @Test(arguments: CompletionGenerator.Shell.allCases)
    func completionScriptsMatchTheCommandTable(shell: CompletionGenerator.Shell) throws {
        let file = "completions/" + CompletionGenerator.fileName(for: shell)
        #expect(try committed(file) == CompletionGenerator.script(for: shell),
                "\(file) is stale: run `aurora completions \(shell.rawValue) > \(file)`")
    }

    @Test func manPageMatchesTheCommandTable() throws {
        #expect(try committed("man/aurora.1") == ManPageGenerator.page(), "man/aurora.1 is stale: run `aurora manpage > man/aurora.1`")
    }

    @Test func everyCommandAppearsInHelpCompletionsAndManPage() {
        let help = HelpRenderer.help(for: CommandTable.root, path: [])
        let bash = CompletionGenerator.script(for: .bash)
        let fish = CompletionGenerator.script(for: .fish)
        let man = ManPageGenerator.page()
        for command in CommandTable.root.subcommands {
            #expect(help.contains("  \(command.name) "), "help lacks \(command.name)")
            #expect(bash.contains(command.name))
            #expect(fish.contains("-a \(command.name) "))
        }
        for (path, spec) in CommandTable.allCommands() where spec.handler != nil {
            #expect(man.contains(".SS \"aurora \(path.joined(separator: " "))"), "man page lacks \(path)")
            for option in spec.options {
                #expect(man.contains("\\-\\-" + ManPageGenerator.escape(option.long)))
            }
        }
        for status in ExitStatus.allCases { #expect(man.contains(".B \(status.rawValue)\n")) }
    }

    @Test func everyCommandHasASummaryAndEveryOptionIsDocumented() {
        for (path, spec) in CommandTable.allCommands() {
            #expect(!spec.summary.isEmpty, "\(path) has no summary")
            for option in spec.options { #expect(!option.summary.isEmpty, "\(path) --\(option.long) has no summary") }
            let longs = (spec.options + CommandTable.globalOptions).map(\.long)
            #expect(Set(longs).count == longs.count, "\(path) declares an option twice")
            let shorts = (spec.options + CommandTable.globalOptions).compactMap(\.short)
            #expect(Set(shorts).count == shorts.count, "\(path) declares a short option twice")
        }
    }
}
