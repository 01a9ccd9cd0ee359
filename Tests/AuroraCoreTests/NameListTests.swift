import AuroraCore
import Testing

/// Names in a sentence: all of a few, the first three of many and how many more.
@Suite struct NameListTests {
    @Test(arguments: [
        ([], ""),
        (["api"], "api"),
        (["api", "db"], "api and db"),
        (["api", "db", "web"], "api, db and web"),
        (["api", "db", "web", "cache"], "api, db, web and 1 more"),
        ((0..<100).map { "svc\($0)" }, "svc0, svc1, svc2 and 97 more"),
    ])
    func aListReadsAsASentence(names: [String], text: String) {
        #expect(NameList.text(names) == text)
    }
}
