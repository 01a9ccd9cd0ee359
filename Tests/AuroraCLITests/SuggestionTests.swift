@testable import AuroraCLI
import AuroraCLITestSupport
import Foundation
import Testing

/// Issue 17, point 9: typos get every near name, options of other commands are pointed at, and the
/// man page's own example of combined flags parses.
@Suite struct SuggestionTests {
    static let parser = CommandLineParser(root: CommandTable.root, globalOptions: CommandTable.globalOptions)

    @Test func aTypoAsNearToTwoNamesSuggestsBoth() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let result = await cli.run(["killswitch", "of", "--service", "postgres"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("(did you mean 'on' or 'off'?)"), "\(result.stderr)")
    }

    @Test func detectWithAMistypedServiceIsShownHowToSelectOne() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let result = await cli.run(["detect", "--sevrice", "postgres"])
        #expect(result.status == 64)
        #expect(result.stderr.contains(#"did you mean --match '{service="NAME"}'?"#), "\(result.stderr)")
    }

    @Test func anOptionOfAnotherCommandIsNamedWithItsOwner() {
        let outcome = Self.parser.parse(["series", "list", "--reasn", "x"], environment: [:])
        #expect(outcome.error?.message.contains("'--reason' is an option of 'aurora") == true, "\(outcome.error?.message ?? "")")
    }

    @Test func theManPagesExampleOfCombinedFlagsParses() throws {
        let page = ManPageGenerator.page().replacingOccurrences(of: "\\-", with: "-")
        let pattern = try Regex(#"combined short flags\s+\(aurora ([^)]*)\)"#)
        let match = try #require(page.firstMatch(of: pattern))
        let argv = String(match.output[1].substring ?? "").split(separator: " ").map(String.init)
        #expect(argv.contains { $0.hasPrefix("-") && !$0.hasPrefix("--") && $0.count > 2 }, "no combined flags in \(argv)")
        #expect(Self.parser.parse(argv, environment: [:]).error == nil)
    }
}
