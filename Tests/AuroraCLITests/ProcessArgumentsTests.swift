import AuroraCLI
import Testing

/// `/proc/self/cmdline` parsing: the fallback when the Swift runtime lost argv (under libfaketime).
@Suite struct ProcessArgumentsTests {
    @Test func splitsOnNulAndKeepsEmptyArguments() {
        let bytes = Array("aurora\u{0}approve\u{0}\u{0}--yes\u{0}".utf8)
        #expect(ProcessArguments.parse(cmdline: bytes) == ["aurora", "approve", "", "--yes"])
    }

    @Test func keepsTheLastArgumentWithoutItsNul() {
        #expect(ProcessArguments.parse(cmdline: Array("aurora\u{0}version".utf8)) == ["aurora", "version"])
    }

    @Test func emptyInputIsNoArguments() {
        #expect(ProcessArguments.parse(cmdline: []).isEmpty)
    }

    @Test func keepsSpacesQuotesNewlinesAndUTF8InsideOneArgument() {
        let hostile = "a b 'c'\n$(x) ünïcode"
        #expect(ProcessArguments.parse(cmdline: Array("aurora\u{0}\(hostile)\u{0}".utf8)) == ["aurora", hostile])
    }

    @Test func currentIsNeverEmptyInATestProcess() {
        #expect(!ProcessArguments.current().isEmpty)
    }
}
