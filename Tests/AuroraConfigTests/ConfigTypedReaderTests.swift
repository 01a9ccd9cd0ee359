import AuroraConfig
import AuroraCore
import AuroraDetection
import Testing

/// The settings of `aurora watch`, its sources and Alertmanager come from the typed readers: a key the
/// file leaves out reads as the schema's default, a value of the wrong type is an error naming the key.
@Suite struct ConfigTypedReaderTests {
    static let yaml = """
        aurora:
          sources:
            prometheus:
              url: http://127.0.0.1:9090
          alertmanager:
            url: http://127.0.0.1:9093
          remediation:
            actions:
              restart: { type: service-restart, command: [true] }
        """

    /// The default the schema documents for a key, as seconds.
    static func schemaSeconds(_ path: String) throws -> Double { try #require(ConfigSchema.defaultValue(at: path)?.seconds) }

    @Test func keysAbsentFromTheFileReadAsTheSchemasDefaults() throws {
        let configuration = try ConfigLoader.load(yaml: Self.yaml, file: "a.yaml")
        let watch = try configuration.watch
        #expect(watch.interval == (try Self.schemaSeconds("watch.interval")))
        #expect(watch.backfill == (try Self.schemaSeconds("watch.backfill")))
        #expect(watch.leaseTTL == (try Self.schemaSeconds("watch.lease-ttl")))
        #expect(watch.retention == (try Self.schemaSeconds("watch.retention")))
        #expect(watch.webhookServiceLabel == ConfigSchema.defaultValue(at: "watch.webhook-service-label")?.string)
        #expect(watch.webhookBodyLimit == ConfigSchema.defaultValue(at: "watch.webhook-body-limit")?.int)
        #expect(watch.listen == nil && watch.webhookTokenVariable == nil)
        let source = try #require(try configuration.prometheusSource)
        #expect(source.timeout == (try Self.schemaSeconds("sources.prometheus.timeout")))
        #expect(Double(source.stepMilliseconds) == (try Self.schemaSeconds("sources.prometheus.step")) * 1000)
        #expect(try #require(try configuration.alertmanager).timeout == (try Self.schemaSeconds("alertmanager.timeout")))
        // A configuration built by hand (no validation filled anything in) reads the same.
        let bare = Configuration(root: .object([]), source: nil)
        #expect(try bare.watch == watch)
        #expect(try bare.seconds("remediation.kill-grace") == (try Self.schemaSeconds("remediation.kill-grace")))
    }

    @Test func anEntryOfAMapFallsBackToTheSchemasDefaultForEveryEntry() throws {
        let configuration = try ConfigLoader.load(yaml: Self.yaml, file: "a.yaml")
        let action = try #require(configuration.value("remediation.actions")?["restart"])
        let timeout = try Configuration.seconds("timeout", of: .object([]), at: "remediation.actions.restart",
                                                pattern: "remediation.actions.*.timeout")
        #expect(timeout == (try Self.schemaSeconds("remediation.actions.*.timeout")))
        #expect(try Configuration.seconds("timeout", of: action, at: "remediation.actions.restart",
                                          pattern: "remediation.actions.*.timeout") == timeout)
    }

    @Test func anEntryOfAListFallsBackToTheSchemasDefaultToo() throws {
        // A rule built by hand, without the keys validation would have filled in.
        let rule = ConfigValue.object([("name", .string("slow")), ("match", .string("latency_ms")), ("above", .number(500))])
        let bare = Configuration(root: .object([("detection", .object([("rules", .list([rule]))]))]), source: nil)
        let decoded = try #require(try DetectionSettings(configuration: bare).rules.first)
        #expect(decoded.identity.severity.rawValue == ConfigSchema.defaultValue(at: "detection.rules.*.severity")?.string)
        let wrong = Configuration(root: .object([("detection", .object([("rules", .list([
            .object([("name", .string("slow")), ("match", .string("latency_ms")), ("above", .number(500)), ("for", .string("a while"))]),
        ]))]))]), source: nil)
        let error = #expect(throws: SimpleFailure.self) { try DetectionSettings(configuration: wrong) }
        #expect(error?.description.contains("aurora.detection.rules[0].for") == true)
    }

    @Test func aValueOfTheWrongTypeIsAnErrorNamingTheKey() {
        let wrong = Configuration(root: .object([("watch", .object([("interval", .string("soon"))]))]), source: "hand.yaml")
        let error = #expect(throws: SimpleFailure.self) { try wrong.watch }
        #expect(error?.kind == .configuration)
        #expect(error?.description.contains("aurora.watch.interval") == true)
        #expect(error?.description.contains("a duration") == true)
        let grace = Configuration(root: .object([("remediation", .object([("kill-grace", .integer(5))]))]), source: nil)
        let graceError = #expect(throws: SimpleFailure.self) { try grace.seconds("remediation.kill-grace") }
        #expect(graceError?.description.contains("aurora.remediation.kill-grace") == true)
        let entry = #expect(throws: SimpleFailure.self) {
            try Configuration.seconds("timeout", of: .object([("timeout", .string("long"))]), at: "remediation.actions.restart",
                                      pattern: "remediation.actions.*.timeout")
        }
        #expect(entry?.description.contains("aurora.remediation.actions.restart.timeout") == true)
    }

    @Test func aRetentionShorterThanTheDiagnosisHistoryIsAConfigurationError() throws {
        let error = #expect(throws: ConfigError.self) {
            try ConfigLoader.load(yaml: "aurora:\n  watch:\n    retention: 30m\n", file: "a.yaml")
        }
        let issue = try #require(error?.issues.first)
        #expect(issue.location.line == 3)
        #expect(issue.message.contains("aurora.watch.retention") && issue.message.contains("diagnosis.history-window"))
        // A shorter history window makes the same retention valid; 0 keeps everything.
        _ = try ConfigLoader.load(yaml: "aurora:\n  watch:\n    retention: 30m\n  diagnosis:\n    history-window: 20m\n", file: "a.yaml")
        #expect(try ConfigLoader.load(yaml: "aurora:\n  watch:\n    retention: 0\n", file: "a.yaml").watch.retention == 0)
        // A longer history window than the default retention is caught too, at the window's line.
        let window = #expect(throws: ConfigError.self) {
            try ConfigLoader.load(yaml: "aurora:\n  diagnosis:\n    history-window: 8d\n", file: "a.yaml")
        }
        #expect(window?.issues.first?.location.line == 3)
    }
}
