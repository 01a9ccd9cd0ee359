import AuroraConfig
import AuroraCore
import Testing

/// Defaults are written once, in the schema: typed readers fall back to it, and settings decoded
/// from an empty file equal the documented defaults.
@Suite struct ConfigDefaultsTests {
    @Test func aHandMadeConfigurationGetsTheSchemasDefaults() throws {
        let bare = Configuration(root: .object([]), source: nil)
        #expect(try bare.seconds("diagnosis.incident-gap") == 300)
        #expect(try bare.number("diagnosis.incident-min-score") == 0.5)
        #expect(try bare.seconds("remediation.kill-grace") == 5)
        #expect(try bare.flag("governance.allow-self-approval") == false)
        #expect(try SafetySettings(configuration: bare) == SafetySettings(configuration: ConfigLoader.defaults()))
    }

    @Test func theFilesValueWinsOverTheDefault() throws {
        let configuration = try ConfigLoader.load(yaml: "aurora:\n  diagnosis:\n    incident-gap: 90s\n    incident-min-score: 0.7\n", file: "a.yaml")
        let rule = try IncidentGrouping(configuration: configuration)
        #expect(rule.gap == 90_000)
        #expect(rule.openingScore == 0.7)
        #expect(try IncidentGrouping(configuration: ConfigLoader.defaults()).gap == 300_000)
    }

    @Test func aKeyWithoutADefaultIsAnInternalErrorNotAGuess() {
        let bare = Configuration(root: .object([]), source: nil)
        let error = #expect(throws: SimpleFailure.self) { try bare.text("diagnosis.llm.model") }
        #expect(error?.kind == .software)
        #expect(ConfigSchema.defaultValue(at: "no.such.key") == nil)
    }
}
