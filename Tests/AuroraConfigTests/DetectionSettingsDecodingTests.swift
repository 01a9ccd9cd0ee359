import AuroraConfig
import AuroraCore
import AuroraDetection
import Testing

/// The `detection:` section decoded onto the engine's settings, and the schema made from the same
/// parameter tables.
@Suite struct DetectionSettingsDecodingTests {
    @Test func defaultsAreTheEnginesOwn() throws {
        let settings = try DetectionSettings(configuration: ConfigLoader.defaults())
        let engine = DetectionSettings()
        #expect(settings.ensembleMembers == engine.ensembleMembers)
        #expect(settings.zscore == engine.zscore)
        #expect(settings.mad == engine.mad)
        #expect(settings.seasonal == engine.seasonal)
        #expect(settings.percentile == engine.percentile)
        #expect(settings.stuck == engine.stuck)
        #expect(settings.ensemble == engine.ensemble)
        #expect(settings.rules.isEmpty)
    }

    @Test func valuesRulesAndOverridesMapOntoTheEngine() throws {
        let yaml = """
        aurora:
          detection:
            detectors: [zscore, mad]
            threshold: 0.4
            zscore: { window: 200, sigmas: 3 }
            rules:
              - name: checkout-slow
                match: latency_ms{service="checkout"}
                above: 500
                for: 5m
                severity: critical
              - name: heartbeat
                absent-for: 10m
            overrides:
              - match: '{service=~"batch.*"}'
                detectors: [mad]
                mad: { window: 50 }
        """
        let settings = try DetectionSettings(configuration: ConfigLoader.load(yaml: yaml, file: "a.yaml"))
        #expect(settings.ensembleMembers == ["zscore", "mad"])
        #expect(settings.ensemble.threshold == 0.4)
        #expect(settings.zscore.window == 200 && settings.zscore.sigmas == 3)
        #expect(settings.zscore.minimumPoints == DetectionSettings().zscore.minimumPoints)
        #expect(settings.rules.map(\.identity.name) == ["checkout-slow", "heartbeat"])
        #expect(settings.rules[0].identity.severity == .critical)
        #expect(settings.rules[0].identity.service == "checkout")
        let batch = settings.resolved(for: SeriesKey(name: "cpu", labels: ["service": "batch-7"]))
        #expect(batch.ensembleMembers == ["mad"] && batch.mad.window == 50)
        let other = settings.resolved(for: SeriesKey(name: "cpu", labels: ["service": "api"]))
        #expect(other.ensembleMembers == ["zscore", "mad"] && other.mad.window == DetectionSettings().mad.window)
    }

    @Test func theStuckDetectorIsConfiguredLikeTheOthersAndVotesAlone() throws {
        let yaml = """
        aurora:
          detection:
            detectors: [seasonal, stuck]
            stuck: { multiple: 4, minimum-duration: 1h, minimum-changes: 10 }
        """
        let settings = try DetectionSettings(configuration: ConfigLoader.load(yaml: yaml, file: "a.yaml"))
        #expect(settings.ensembleMembers == ["seasonal", "stuck"])
        #expect(settings.stuck.multiple == 4 && settings.stuck.minimumMilliseconds == 3_600_000 && settings.stuck.minimumChanges == 10)
        #expect(settings.stuck.horizon == DetectionSettings().stuck.horizon)
        let members = try DetectionRun(settings: settings).ensemble(for: SeriesKey(name: "temperature")).members
        #expect(members.map(\.decisive) == [false, true])
    }

    @Test func theDriftDetectorIsConfiguredLikeTheOthersAndVotesAlone() throws {
        let yaml = """
        aurora:
          detection:
            detectors: [seasonal, drift]
            seasonal: { bin-minutes: 60 }
            drift: { multiple: 3, slack: 0.5, clip: 4, decision: 20, minimum-history: 100 }
        """
        let settings = try DetectionSettings(configuration: ConfigLoader.load(yaml: yaml, file: "a.yaml"))
        #expect(settings.ensembleMembers == ["seasonal", "drift"])
        #expect(settings.drift.multiple == 3 && settings.drift.slack == 0.5 && settings.drift.clip == 4)
        #expect(settings.drift.decision == 20 && settings.drift.minimumHistory == 100)
        #expect(settings.drift.horizon == DetectionSettings().drift.horizon)
        let members = try DetectionRun(settings: settings).ensemble(for: SeriesKey(name: "latency")).members
        #expect(members.map(\.decisive) == [false, true])
        // Its baseline is the seasonal member's, configured once.
        let drift = try #require(members.last?.detector as? DriftDetector)
        #expect(drift.baselineParameters.binMinutes == 60)
    }

    @Test(arguments: [
        ("aurora:\n  detection:\n    detectors: [zscroe]\n", "unknown detector `zscroe` (did you mean `zscore`?"),
        ("aurora:\n  detection:\n    rules:\n      - name: x\n", "give a condition"),
        ("aurora:\n  detection:\n    rules:\n      - name: x\n        match: m{a=~\"b\"}\n        above: 1\n", "= matchers only"),
    ])
    func badDetectionSettingsAreConfigurationErrors(yaml: String, message: String) throws {
        let configuration = try ConfigLoader.load(yaml: yaml, file: "a.yaml")
        let error = try #require(throws: SimpleFailure.self) { try DetectionSettings(configuration: configuration) }
        #expect(error.kind == .configuration)
        #expect(error.message.contains(message))
    }

    /// Every detector parameter the schema documents is decoded onto the engine (a key documented
    /// under one name and read under another would be silently ignored).
    @Test func everyDocumentedParameterReachesTheEngine() throws {
        let yaml = """
        aurora:
          detection:
            threshold: 0.31
            quorum: 3
            novelty-horizon: 77
            novelty-growth: 6
            novelty-floor: 0.75
            magnitude-from: 12
            magnitude-full: 40
            sustained-from: 0.6
            event-gap: 9
            zscore: { window: 101, sigmas: 2.5, minimum-points: 11, threshold: 0.41 }
            mad: { window: 102, sigmas: 3.5, scale-floor: 0.2, minimum-points: 12, threshold: 0.42 }
            percentile: { window: 103, low-quantile: 0.02, high-quantile: 0.97, tolerance: 0.6, width-floor: 0.3, minimum-points: 13, threshold: 0.43 }
            seasonal: { bin-minutes: 15, adaptation: 0.1, minimum-periods: 3, window: 104, sigmas: 4.5, scale-floor: 0.35, weekly-reach: 45, minimum-points: 14, threshold: 0.44 }
        """
        let settings = try DetectionSettings(configuration: ConfigLoader.load(yaml: yaml, file: "a.yaml"))
        #expect(settings.ensemble.threshold == 0.31 && settings.ensemble.quorum == 3)
        #expect(settings.ensemble.noveltyHorizon == 77 && settings.ensemble.eventGap == 9)
        #expect(settings.ensemble.noveltyGrowth == 6 && settings.ensemble.noveltyFloor == 0.75)
        #expect(settings.ensemble.magnitudeFrom == 12 && settings.ensemble.magnitudeFull == 40 && settings.ensemble.sustainedFrom == 0.6)
        #expect(settings.zscore.window == 101 && settings.zscore.sigmas == 2.5 && settings.zscore.minimumPoints == 11 && settings.zscore.threshold == 0.41)
        #expect(settings.mad.window == 102 && settings.mad.sigmas == 3.5 && settings.mad.scaleFloor == 0.2)
        #expect(settings.mad.minimumPoints == 12 && settings.mad.threshold == 0.42)
        #expect(settings.percentile.window == 103 && settings.percentile.lowQuantile == 0.02 && settings.percentile.highQuantile == 0.97)
        #expect(settings.percentile.tolerance == 0.6 && settings.percentile.widthFloor == 0.3)
        #expect(settings.percentile.minimumPoints == 13 && settings.percentile.threshold == 0.43)
        #expect(settings.seasonal.binMinutes == 15 && settings.seasonal.adaptation == 0.1 && settings.seasonal.minimumPeriods == 3)
        #expect(settings.seasonal.window == 104 && settings.seasonal.sigmas == 4.5 && settings.seasonal.scaleFloor == 0.35)
        #expect(settings.seasonal.minimumPoints == 14 && settings.seasonal.threshold == 0.44)
        #expect(settings.seasonal.weeklyReach == 45)
    }
}
