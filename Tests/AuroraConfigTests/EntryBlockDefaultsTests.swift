import AuroraConfig
import Testing

/// Inside an entry of a map (an action under `remediation.actions`), a block the file leaves out stays
/// out, while a block the file gives is filled with its defaults like any section.
@Suite struct EntryBlockDefaultsTests {
    static let yaml = """
        aurora:
          remediation:
            actions:
              plain:
                type: service-restart
                command: [systemctl, restart, "{service}"]
              checked:
                type: service-restart
                http: { url: "https://deploy.example/restart/{service}" }
                health-check:
                  http: { url: "https://{service}.example/health" }
                rollback:
                  command: [undo, "{service}"]
              tuned:
                type: scale-up
                command: [scale, "{service}"]
                health-check:
                  command: [probe, "{service}"]
                  retries: 7
                  interval: 2s
                rollback: { command: [undo], timeout: 1m }
        """

    static func action(_ name: String) throws -> ConfigValue {
        let configuration = try ConfigLoader.load(yaml: yaml, file: "a.yaml")
        return try #require(configuration.value("remediation.actions")?[name])
    }

    @Test func anActionWithoutAHealthCheckGrowsNoBlock() throws {
        let plain = try Self.action("plain")
        #expect(plain["health-check"] == nil)
        #expect(plain["rollback"] == nil)
        #expect(plain["http"] == nil)
        #expect(plain["timeout"]?.seconds == 300)
        let tuned = try Self.action("tuned")
        #expect(tuned["health-check"]?["http"] == nil)
        #expect(tuned["rollback"]?["http"] == nil)
    }

    @Test func aGivenBlockIsFilledWithItsDefaults() throws {
        let checked = try Self.action("checked")
        let check = try #require(checked["health-check"])
        #expect(check["retries"]?.int == 3)
        #expect(check["interval"]?.seconds == 5)
        #expect(check["timeout"]?.seconds == 10)
        #expect(check["http"]?["method"]?.string == "GET")
        #expect(check["http"]?["expected-status"] == .list([.integer(200), .integer(201), .integer(202), .integer(204)]))
        // A probe tries once per try of the check: its block shows no retries of its own.
        #expect(check["http"]?["retries"] == nil)
        #expect(checked["http"]?["method"]?.string == "POST")
        #expect(checked["http"]?["retries"]?.int == 2)
        #expect(checked["http"]?["expected-status"]?.list?.count == 4)
        #expect(checked["rollback"]?["timeout"]?.seconds == 300)
    }

    @Test func anExplicitValueWinsOverTheBlocksDefault() throws {
        let tuned = try Self.action("tuned")
        #expect(tuned["health-check"]?["retries"]?.int == 7)
        #expect(tuned["health-check"]?["interval"]?.seconds == 2)
        #expect(tuned["health-check"]?["timeout"]?.seconds == 10)
        #expect(tuned["rollback"]?["timeout"]?.seconds == 60)
    }

    @Test func sectionsOutsideEntriesAreStillFilledWhenAbsent() throws {
        let configuration = try ConfigLoader.load(yaml: Self.yaml, file: "a.yaml")
        #expect(configuration.value("diagnosis.confidence-tiers.approval") != nil)
        #expect(configuration.value("sources.prometheus.timeout")?.seconds == 10)
        #expect(configuration.value("detection.zscore") != nil)
    }

    @Test func theEffectiveConfigurationShowsTheDefaultsOfTheBlocksGiven() throws {
        let configuration = try ConfigLoader.load(yaml: Self.yaml, file: "a.yaml")
        let shown = ConfigWriter.render(configuration)
        #expect(shown.components(separatedBy: "health-check:").count - 1 == 2)
        #expect(shown.contains("""
                    health-check:
                      http:
                        method: GET
                        url: 'https://{service}.example/health'
                        expected-status:
                          - 200
                          - 201
                          - 202
                          - 204
                      retries: 3
                      interval: 5s
                      timeout: 10s

            """))
        #expect(shown.contains("""
                    http:
                      method: POST
                      url: 'https://deploy.example/restart/{service}'
                      expected-status:
                        - 200
                        - 201
                        - 202
                        - 204
                      retries: 2

            """))
        let again = try ConfigLoader.load(yaml: shown, file: "shown.yaml")
        #expect(again.root == configuration.root)
    }

    @Test func theSchemaDocumentsTheDefaultsItFills() {
        #expect(ConfigSchema.defaultValue(at: "remediation.actions.*.health-check.retries")?.int == 3)
        #expect(ConfigSchema.defaultValue(at: "remediation.actions.*.health-check.interval")?.seconds == 5)
        #expect(ConfigSchema.defaultValue(at: "remediation.actions.*.health-check.timeout")?.seconds == 10)
        #expect(ConfigSchema.defaultValue(at: "remediation.actions.*.health-check.http.method")?.string == "GET")
        #expect(ConfigSchema.defaultValue(at: "remediation.actions.*.http.method")?.string == "POST")
        #expect(ConfigSchema.defaultValue(at: "remediation.actions.*.http.retries")?.int == 2)
        #expect(ConfigSchema.defaultValue(at: "remediation.actions.*.rollback.timeout")?.seconds == 300)
        #expect(ConfigSchema.defaultValue(at: "remediation.actions.*.rollback.http.retries")?.int == 2)
    }
}
