import AuroraCLI
import AuroraConfig
import AuroraCore
import AuroraOperations
import AuroraExecutors
import AuroraRemediation
import AuroraStore
import Foundation

/// A full remediation decision without execution: render the action, hash it, validate an approval,
/// and run every policy check against a busy snapshot (issue 7 target: < 5 ms).
enum RemediationBench {
    static func run(_ options: BenchOptions) async throws {
        let now = Date(timeIntervalSince1970: 1_780_000_000)
        let zones = ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "UTC"]
        var windows: [FreezeWindow] = []
        for index in 0..<40 {
            let weekly = try WeeklyWindow(parsing: "Fri 16:00 – Mon 08:00 \(zones[index % zones.count])")
            windows.append(FreezeWindow(id: "w\(index)", service: index % 2 == 0 ? nil : "svc-\(index)", schedule: .weekly(weekly)))
            windows.append(FreezeWindow(id: "o\(index)", schedule: .oneOff(from: now.addingTimeInterval(Double(index) * 86_400 + 3600),
                                                                          until: now.addingTimeInterval(Double(index) * 86_400 + 7200))))
        }
        let switches = (0..<100).map { index in
            KillSwitch(scope: index % 2 == 0 ? .service("svc-\(index)") : .actionType(ActionType("type-\(index)")), reason: "bench",
                       setBy: "bench", setAt: now, expiresAt: index % 3 == 0 ? now : nil)
        }
        let snapshot = PolicySnapshot(
            killSwitches: switches, freezeWindows: windows,
            rateLimits: RateLimitSnapshot(running: 3, recentStarts: (0..<19).map { now.addingTimeInterval(Double(-$0) * 180) },
                                          lastStartForService: now.addingTimeInterval(-600), consecutiveFailuresForService: 1),
            servicesTouchedByIncident: ["a", "b"])
        let rules = (0..<30).map { GovernancePolicy.Rule(name: "deny-\($0)", effect: .deny, types: [ActionType("type-\($0)")], services: ["svc-\($0)"]) }
            + [GovernancePolicy.Rule(name: "allow-low-medium", effect: .allow, tiers: [.low, .medium])]
        let configuration = PolicyConfiguration(governance: GovernancePolicy(rules: rules, maxServicesPerIncident: 5))
        let action = ActionDefinition(
            name: "scale-checkout", type: "scale-up",
            executor: .http(HTTPSpec(method: "POST", url: "https://k8s.example/apis/apps/v1/namespaces/prod/deployments/{service}/scale",
                                     headers: [HeaderTemplate(name: "Authorization", value: "Bearer ${K8S_TOKEN}")],
                                     body: .object([(key: "replicas", value: .string("{param.replicas}")), (key: "incident", value: .string("{incident}"))]))),
            healthCheck: HealthCheckSpec(probe: .http(method: "GET", url: "https://checkout.example/health", headers: [], expectedStatuses: [200], bodyContains: "ok")),
            rollback: RollbackSpec(executor: .exec(ExecSpec(command: ["kubectl", "rollout", "undo", "deployment/{service}"]))))
        let context = TemplateContext(service: "checkout", incident: "INC-1", parameters: ["replicas": "6"])
        let secrets = ["K8S_TOKEN": String(repeating: "t0k3n", count: 20)]
        let approvalPolicy = ApprovalPolicy()

        var sink = 0
        func decideOnce() throws {
            let rendered = try ActionRenderer.render(action, context: context, secrets: secrets)
            let hash = rendered.hash
            let approval = Approval(renderedHash: hash, requester: "alice", approver: "bob", approvedAt: now)
            let validity = approvalPolicy.validate(approval, currentHash: hash, now: now)
            let request = PolicyRequest(service: "checkout", type: "scale-up", tier: rendered.tier, confidence: 0.93, incident: "INC-1")
            let decision = RemediationPolicy.decide(request, snapshot: snapshot, configuration: configuration, now: now)
            sink &+= decision.checks.count &+ (validity.valid ? 1 : 0) &+ rendered.redactedLines.count
        }
        let iterations = options.quick ? 200 : 2000
        for _ in 0..<20 { try decideOnce() }
        var samples: [Double] = []
        samples.reserveCapacity(iterations)
        for _ in 0..<iterations { samples.append(try measureSeconds { try decideOnce() }) }
        let sorted = samples.sorted()
        report("decision (render + hash + approval + all checks)", String(format: "median %.3f ms, p99 %.3f ms", median(samples) * 1000,
                                                                          sorted[Int(Double(sorted.count) * 0.99)] * 1000), target: "< 5 ms")
        var policyOnly: [Double] = []
        let request = PolicyRequest(service: "checkout", type: "scale-up", tier: .low, confidence: 0.93, incident: "INC-1")
        for _ in 0..<iterations {
            policyOnly.append(measureSeconds {
                sink &+= RemediationPolicy.decide(request, snapshot: snapshot, configuration: configuration, now: now).checks.count
            })
        }
        report("policy checks only (100 switches, 80 freezes)", String(format: "median %.3f ms", median(policyOnly) * 1000))
        let redactor = Redactor(secrets: Array(secrets.values))
        let text = String(repeating: "log line without secrets but long enough\n", count: 25_000)
        let redactSeconds = measureSeconds { sink &+= redactor.redact(text).utf8.count }
        report("redact 1 MB of output", String(format: "%.1f ms", redactSeconds * 1000))
        if sink == 42 { print("") }
        try await storeDecisions(options)

        // Output flood: the executor's capture must stay bounded whatever the child writes.
        let floodBytes = options.quick ? 256 << 20 : 2 << 30
        let before = peakMemoryMiB()
        var flood: ProcessResult?
        let floodSeconds = try await measureSecondsAsync {
            flood = try await SubprocessRunner().run(
                ProcessRequest(argv: ["/bin/sh", "-c", "head -c \(floodBytes) /dev/zero"], environment: ["PATH": "/usr/bin:/bin"], timeout: 120),
                onStart: { _ in })
        }
        let kept = flood?.stdout.tail.count ?? 0
        report("stdout flood \(floodBytes >> 20) MiB (1 MiB tail kept)",
               String(format: "%.1f s, %@, kept %d bytes, peak RSS %.0f → %.0f MiB", floodSeconds, rate(Double(floodBytes) / floodSeconds) + "B",
                      kept, before, peakMemoryMiB()))
    }

    /// The decision as the CLI makes it: render, then policy snapshot, decision and audit entry in one
    /// BEGIN IMMEDIATE transaction (a dry run: nothing executes); and the end-to-end gate commands.
    static func storeDecisions(_ options: BenchOptions) async throws {
        let folder = options.workDirectory.appendingPathComponent("remediation")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let database = folder.appendingPathComponent("remediation.db").path
        let configurationPath = folder.appendingPathComponent("aurora.yaml").path
        let yaml = """
            aurora:
              remediation:
                actions:
                  restart:
                    type: service-restart
                    command: [/bin/true, "{service}"]
            """
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: configurationPath))
        let configuration = try ConfigLoader.load(path: configurationPath)
        let store = try Store(path: database)
        for index in 0..<20 {
            try KillSwitchStore.turnOn(KillSwitchRecord(scope: .service, target: "other-\(index)", reason: "bench", setBy: "bench", setAt: Date()),
                                       in: store.database)
        }
        let flow = RemediationFlow(store: store, settings: try RemediationSettings.load(configuration), clock: SystemWallClock(), environment: [:])
        let runs = options.quick ? 50 : 300
        var samples: [Double] = []
        for index in 0..<runs {
            let request = RemediationRequest(action: "restart", service: "svc-\(index % 10)", dryRun: true, actor: "bench")
            let started = DispatchTime.now().uptimeNanoseconds
            _ = try await flow.run(request)
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
        }
        report("decision in one DB transaction (dry run)",
               String(format: "median %.3f ms", median(samples) * 1000), target: "< 5 ms")
        guard let binary = CLIBench.auroraBinary() else { return }
        let spawns = options.quick ? 10 : 50
        var check: [Double] = []
        var dry: [Double] = []
        for _ in 0..<spawns {
            check.append(try CLIBench.spawnAndWait(binary, ["--db", database, "killswitch", "check", "--service", "other-3"]))
            dry.append(try CLIBench.spawnAndWait(binary, ["--db", database, "--config", configurationPath, "remediate", "restart",
                                                          "--service", "checkout", "--dry-run"]))
        }
        report("killswitch check, blocked (median of \(spawns))", String(format: "%.2f ms", median(check) * 1000), target: "< 15 ms")
        report("remediate --dry-run (median of \(spawns))", String(format: "%.2f ms", median(dry) * 1000))
    }
}
