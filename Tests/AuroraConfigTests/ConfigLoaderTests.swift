import AuroraConfig
import AuroraCore
import Testing

@Suite struct ConfigLoaderTests {
    @Test func emptyFileGivesTheArchitectureDefaults() throws {
        let configuration = try ConfigLoader.load(yaml: "", file: "a.yaml")
        #expect(try SafetySettings(configuration: configuration) == SafetySettings(maxConcurrentRemediations: 5, maxRemediationsPerHour: 20,
                                                       cooldownBetweenSameService: 300, maxConsecutiveFailures: 3))
    }

    @Test func valuesOverrideDefaultsAndDurationsParse() throws {
        let yaml = """
        aurora:
          safety:
            max-concurrent-remediations: 2
            cooldown-between-same-service: 1h30m
        """
        let safety = try SafetySettings(configuration: ConfigLoader.load(yaml: yaml, file: "a.yaml"))
        #expect(safety.maxConcurrentRemediations == 2)
        #expect(safety.cooldownBetweenSameService == 5400)
        #expect(safety.maxRemediationsPerHour == 20)
    }

    @Test func reportsEveryProblemWithItsLocationInFileOrder() throws {
        let yaml = """
        aurora:
          safety:
            max-concurent-remediations: 5
            cooldown-between-same-service: 5x
            max-remediations-per-hour: many
          bogus: 1
        """
        let error = try #require(throws: ConfigError.self) { try ConfigLoader.load(yaml: yaml, file: "prod.yaml") }
        #expect(error.kind == .configuration)
        #expect(error.issues.map(\.description) == [
            "prod.yaml:3:5: aurora.safety: unknown key `max-concurent-remediations` (did you mean `max-concurrent-remediations`?)",
            "prod.yaml:4:36: aurora.safety.cooldown-between-same-service: `5x` is not a duration (expected e.g. 300s, 5m, 1h30m)",
            "prod.yaml:5:32: aurora.safety.max-remediations-per-hour: expected an integer, found `many`",
            "prod.yaml:6:3: aurora: unknown key `bogus`",
        ])
    }

    @Test func rootKeyMustBeAurora() throws {
        let error = try #require(throws: ConfigError.self) { try ConfigLoader.load(yaml: "safety: {}\n", file: "x.yaml") }
        #expect(error.description == "x.yaml:1:1: the configuration must have a single root key `aurora:`")
    }

    @Test func invalidYAMLIsLocated() throws {
        let error = try #require(throws: ConfigError.self) {
            try ConfigLoader.load(yaml: "aurora:\n  safety: [1, 2\n", file: "y.yaml")
        }
        #expect(error.issues.count == 1)
        #expect(error.issues[0].location.file == "y.yaml")
        #expect(error.issues[0].message.hasPrefix("invalid YAML:"))
    }

    @Test func outOfRangeAndWrongShapeAreReported() throws {
        let yaml = "aurora:\n  safety:\n    max-consecutive-failures: 0\n  database: [a]\n"
        let error = try #require(throws: ConfigError.self) { try ConfigLoader.load(yaml: yaml, file: "z.yaml") }
        #expect(error.issues.map(\.description) == [
            "z.yaml:3:31: aurora.safety.max-consecutive-failures: 0 is out of range (1…1000)",
            "z.yaml:4:13: aurora.database: expected a string",
        ])
    }

    @Test func starterFileIsValidAndCarriesEveryDefault() throws {
        let starter = ConfigWriter.starterFile()
        let configuration = try ConfigLoader.load(yaml: starter, file: "starter.yaml")
        #expect(configuration.root == ConfigLoader.defaults().root)
        #expect(starter.contains("max-concurrent-remediations: 5"))
        #expect(starter.contains("max-remediations-per-hour: 20"))
        #expect(starter.contains("cooldown-between-same-service: 300s"))
        #expect(starter.contains("max-consecutive-failures: 3"))
    }

    @Test func renderedConfigurationLoadsBackToTheSameValues() throws {
        let yaml = "aurora:\n  database: /var/lib/aurora/a b.db\n  safety:\n    cooldown-between-same-service: 90s\n"
        let configuration = try ConfigLoader.load(yaml: yaml, file: "a.yaml")
        let again = try ConfigLoader.load(yaml: ConfigWriter.render(configuration), file: "b.yaml")
        #expect(again.root == configuration.root)
        #expect(again.databasePath == "/var/lib/aurora/a b.db")
    }
}
