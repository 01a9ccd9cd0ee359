import AuroraCore
import AuroraRemediation
import Foundation
import Testing

@Suite("Policy decisions")
struct PolicyTests {
    let now = Date(timeIntervalSince1970: 1_780_000_000)
    let configuration = PolicyConfiguration()

    func request(_ tier: RiskTier = .low, service: String = "checkout", type: ActionType = "scale-up", confidence: Double? = nil,
                 incident: String? = nil, dryRun: Bool = false, stage: PolicyRequest.Stage = .request) -> PolicyRequest {
        PolicyRequest(service: service, type: type, tier: tier, confidence: confidence, incident: incident, dryRun: dryRun, stage: stage)
    }

    @Test func lowRiskWithoutObstaclesExecutes() {
        let decision = RemediationPolicy.decide(request(), snapshot: PolicySnapshot(), configuration: configuration, now: now)
        #expect(decision.verdict == .execute)
        #expect(decision.mayExecute)
        #expect(decision.mode == .auto)
        #expect(decision.checks.map(\.check) == ["kill-switch", "freeze-window", "rate-limit", "tier", "governance"])
    }

    @Test(arguments: [
        (RiskTier.low, nil, ExecutionMode.auto, "tier.low"), (.medium, nil, .autoWithMonitoring, "tier.medium"),
        (.high, nil, .approval, "tier.high"), (.critical, nil, .escalate, "tier.critical"),
        (.low, 0.95, .auto, "tier.low"), (.low, 0.9, .autoWithMonitoring, "confidence.0.7-0.9"), (.low, 0.7, .autoWithMonitoring, "confidence.0.7-0.9"),
        (.low, 0.69, .approval, "confidence.0.5-0.7"), (.medium, 0.5, .approval, "confidence.0.5-0.7"), (.high, 0.49, .escalate, "confidence.below-0.5"),
        (.high, 0.99, .approval, "tier.high"), (.critical, 0.99, .escalate, "tier.critical"), (.low, Double.nan, .escalate, "confidence.below-0.5"),
    ] as [(RiskTier, Double?, ExecutionMode, String)])
    func tierTimesConfidence(_ tier: RiskTier, _ confidence: Double?, _ mode: ExecutionMode, _ rule: String) {
        let result = TierMatrix.decide(tier: tier, confidence: confidence, tiers: ConfidenceTiers())
        #expect(result.mode == mode)
        #expect(result.rule == rule)
    }

    /// The operator's tiers (`diagnosis.confidence-tiers`) decide, not the architecture's defaults: with
    /// the auto-execute line at 0.6, a 0.65 diagnosis executes automatically; by default it waits for a human.
    @Test func configuredTiersDecideTheConfidence() {
        let lowered = PolicyConfiguration(tiers: ConfidenceTiers(autoExecute: 0.6))
        let configured = RemediationPolicy.decide(request(confidence: 0.65), snapshot: PolicySnapshot(), configuration: lowered, now: now)
        #expect(configured.verdict == .execute)
        #expect(configured.mode == .auto)
        let byDefault = RemediationPolicy.decide(request(confidence: 0.65), snapshot: PolicySnapshot(), configuration: configuration, now: now)
        #expect(byDefault.verdict == .queueForApproval)
        #expect(byDefault.rule == "confidence.0.5-0.7")
        // Stricter lines hold back what the defaults would run, and the rule names the configured band.
        let strict = PolicyConfiguration(tiers: ConfidenceTiers(autoExecute: 0.99, autoWithMonitoring: 0.95, approval: 0.8))
        let held = RemediationPolicy.decide(request(confidence: 0.93), snapshot: PolicySnapshot(), configuration: strict, now: now)
        #expect(held.verdict == .queueForApproval)
        #expect(held.rule == "confidence.0.8-0.95")
        let escalated = RemediationPolicy.decide(request(confidence: 0.75), snapshot: PolicySnapshot(), configuration: strict, now: now)
        #expect(escalated.verdict == .escalate)
        #expect(escalated.rule == "confidence.below-0.8")
    }

    @Test func criticalIsAlwaysEscalatedNeverExecuted() {
        for stage in [PolicyRequest.Stage.request, .approvedExecution] {
            let decision = RemediationPolicy.decide(request(.critical, type: "data-deletion", confidence: 1, stage: stage),
                                                    snapshot: PolicySnapshot(), configuration: configuration, now: now)
            #expect(decision.verdict == .escalate)
            #expect(!decision.mayExecute)
            #expect(decision.rule == "tier.critical")
        }
    }

    @Test func highRiskIsQueuedThenExecutesOnceApproved() {
        let queued = RemediationPolicy.decide(request(.high), snapshot: PolicySnapshot(), configuration: configuration, now: now)
        #expect(queued.verdict == .queueForApproval)
        let approved = RemediationPolicy.decide(request(.high, stage: .approvedExecution), snapshot: PolicySnapshot(), configuration: configuration, now: now)
        #expect(approved.verdict == .execute)
        #expect(approved.checks.first { $0.check == "tier" }?.rule == "approval.granted")
    }

    @Test func killSwitchesRefuseByScopeUntilTheyExpire() {
        let switches = [
            KillSwitch(scope: .service("checkout"), reason: "incident review", setBy: "alice", setAt: now.addingTimeInterval(-60),
                       expiresAt: now.addingTimeInterval(600)),
            KillSwitch(scope: .actionType("database-failover"), reason: "db migration", setBy: "bob", setAt: now),
            KillSwitch(scope: .global, reason: "old", setBy: "carol", setAt: now.addingTimeInterval(-7200), expiresAt: now),
        ]
        let snapshot = PolicySnapshot(killSwitches: switches)
        let refused = RemediationPolicy.decide(request(), snapshot: snapshot, configuration: configuration, now: now)
        #expect(refused.verdict == .refused)
        #expect(refused.rule == "killswitch.service:checkout")
        #expect(refused.reason.contains("alice") && refused.reason.contains("incident review"))
        #expect(refused.nextAllowedAt == now.addingTimeInterval(600))
        // After expiry it passes (the global switch expired exactly at `now`: half-open).
        let later = RemediationPolicy.decide(request(), snapshot: snapshot, configuration: configuration, now: now.addingTimeInterval(600))
        #expect(later.verdict == .execute)
        let byType = RemediationPolicy.decide(request(.high, service: "orders", type: "database-failover"), snapshot: snapshot,
                                              configuration: configuration, now: now)
        #expect(byType.rule == "killswitch.type:database-failover")
        #expect(byType.nextAllowedAt == nil)
        // Kill switches refuse approved items too, and critical ones.
        for stage in [PolicyRequest.Stage.request, .approvedExecution] {
            let global = PolicySnapshot(killSwitches: [KillSwitch(scope: .global, reason: "r", setBy: "x", setAt: now)])
            #expect(RemediationPolicy.decide(request(.high, stage: stage), snapshot: global, configuration: configuration, now: now).verdict == .refused)
        }
        #expect(KillSwitchScope("service:checkout") == .service("checkout"))
        #expect(KillSwitchScope("type:scale-up") == .actionType("scale-up"))
        #expect(KillSwitchScope("global") == .global)
        #expect(KillSwitchScope("bogus") == nil)
    }

    @Test func freezeWindowRefusesWithItsEnd() {
        let window = FreezeWindow(id: "release", schedule: .oneOff(from: now.addingTimeInterval(-10), until: now.addingTimeInterval(3600)), reason: "release")
        let decision = RemediationPolicy.decide(request(), snapshot: PolicySnapshot(freezeWindows: [window]), configuration: configuration, now: now)
        #expect(decision.verdict == .refused)
        #expect(decision.rule == "freeze.release")
        #expect(decision.nextAllowedAt == now.addingTimeInterval(3600))
    }

    @Test func cooldownNamesTheNextAllowedTime() {
        let snapshot = PolicySnapshot(rateLimits: RateLimitSnapshot(lastStartForService: now.addingTimeInterval(-100)))
        let decision = RemediationPolicy.decide(request(), snapshot: snapshot, configuration: configuration, now: now)
        #expect(decision.verdict == .refused)
        #expect(decision.rule == "rate.cooldown")
        #expect(decision.nextAllowedAt == now.addingTimeInterval(200))
        let after = RemediationPolicy.decide(request(), snapshot: snapshot, configuration: configuration, now: now.addingTimeInterval(200))
        #expect(after.verdict == .execute)
    }

    @Test func hourlyLimitFreesWhenTheOldestStartLeavesTheWindow() {
        let starts = (0..<20).map { now.addingTimeInterval(Double(-3500 + $0 * 100)) }
        let snapshot = PolicySnapshot(rateLimits: RateLimitSnapshot(recentStarts: starts))
        let decision = RemediationPolicy.decide(request(), snapshot: snapshot, configuration: configuration, now: now)
        #expect(decision.rule == "rate.per-hour")
        #expect(decision.nextAllowedAt == now.addingTimeInterval(100))
        #expect(RemediationPolicy.decide(request(), snapshot: snapshot, configuration: configuration, now: now.addingTimeInterval(100)).verdict == .execute)
        // 19 starts pass.
        let fewer = PolicySnapshot(rateLimits: RateLimitSnapshot(recentStarts: Array(starts.dropFirst())))
        #expect(RemediationPolicy.decide(request(), snapshot: fewer, configuration: configuration, now: now).verdict == .execute)
    }

    @Test func clockSteppedBackDoesNotReopenWindows() {
        // Starts recorded "in the future" relative to a clock that went back an hour still count.
        let starts = (0..<20).map { now.addingTimeInterval(Double($0)) }
        let snapshot = PolicySnapshot(rateLimits: RateLimitSnapshot(recentStarts: starts, lastStartForService: now.addingTimeInterval(19)))
        let back = now.addingTimeInterval(-3600)
        let decision = RemediationPolicy.decide(request(), snapshot: snapshot, configuration: configuration, now: back)
        #expect(decision.verdict == .refused)
        #expect(decision.rule == "rate.per-hour")
    }

    @Test func concurrencyAndConsecutiveFailures() {
        let busy = PolicySnapshot(rateLimits: RateLimitSnapshot(running: 5))
        let decision = RemediationPolicy.decide(request(), snapshot: busy, configuration: configuration, now: now)
        #expect(decision.rule == "rate.max-concurrent")
        #expect(decision.nextAllowedAt == nil)
        #expect(RemediationPolicy.decide(request(), snapshot: PolicySnapshot(rateLimits: RateLimitSnapshot(running: 4)),
                                         configuration: configuration, now: now).verdict == .execute)
        let failing = PolicySnapshot(rateLimits: RateLimitSnapshot(consecutiveFailuresForService: 3))
        #expect(RemediationPolicy.decide(request(), snapshot: failing, configuration: configuration, now: now).rule == "rate.consecutive-failures")
        let limits = RateLimits()
        #expect(!limits.shouldTripKillSwitch(consecutiveFailures: 2))
        #expect(limits.shouldTripKillSwitch(consecutiveFailures: 3))
    }

    @Test func rateLimitsDoNotRefuseWhatOnlyGoesToTheQueue() {
        let busy = PolicySnapshot(rateLimits: RateLimitSnapshot(running: 9))
        let decision = RemediationPolicy.decide(request(.high), snapshot: busy, configuration: configuration, now: now)
        #expect(decision.verdict == .queueForApproval)
        #expect(decision.checks.first { $0.check == "rate-limit" }?.rule == "rate.deferred")
        // …but the claim after approval is refused.
        let claim = RemediationPolicy.decide(request(.high, stage: .approvedExecution), snapshot: busy, configuration: configuration, now: now)
        #expect(claim.verdict == .refused)
    }

    @Test func governanceRulesNameTheirDecision() {
        let governance = GovernancePolicy(rules: [
            .init(name: "no-db-failover-on-payments", effect: .deny, types: ["database-failover"], services: ["payments"]),
            .init(name: "low-and-medium-anywhere", effect: .allow, tiers: [.low, .medium]),
            .init(name: "high-on-search", effect: .allow, services: ["search"], tiers: [.high]),
        ], maxServicesPerIncident: 2)
        let config = PolicyConfiguration(governance: governance)
        let denied = RemediationPolicy.decide(request(.high, service: "payments", type: "database-failover", stage: .approvedExecution),
                                              snapshot: PolicySnapshot(), configuration: config, now: now)
        #expect(denied.rule == "governance.no-db-failover-on-payments")
        let allowed = RemediationPolicy.decide(request(.low), snapshot: PolicySnapshot(), configuration: config, now: now)
        #expect(allowed.verdict == .execute)
        #expect(allowed.rule == "governance.low-and-medium-anywhere")
        let noAllow = RemediationPolicy.decide(request(.high, service: "orders"), snapshot: PolicySnapshot(), configuration: config, now: now)
        #expect(noAllow.rule == "governance.default-deny")
        let search = RemediationPolicy.decide(request(.high, service: "search"), snapshot: PolicySnapshot(), configuration: config, now: now)
        #expect(search.verdict == .queueForApproval)
        let capped = RemediationPolicy.decide(request(incident: "INC-1"), snapshot: PolicySnapshot(servicesTouchedByIncident: ["a", "b"]),
                                              configuration: config, now: now)
        #expect(capped.rule == "governance.max-services-per-incident")
        let sameService = RemediationPolicy.decide(request(incident: "INC-1"), snapshot: PolicySnapshot(servicesTouchedByIncident: ["checkout", "b"]),
                                                   configuration: config, now: now)
        #expect(sameService.verdict == .execute)
    }

    @Test func dryRunNeverExecutes() {
        let byRequest = RemediationPolicy.decide(request(dryRun: true), snapshot: PolicySnapshot(), configuration: configuration, now: now)
        #expect(byRequest.verdict == .execute)
        #expect(byRequest.dryRun)
        #expect(!byRequest.mayExecute)
        #expect(byRequest.rule == "dry-run.request")
        let config = PolicyConfiguration(governance: GovernancePolicy(dryRun: true))
        let byGovernance = RemediationPolicy.decide(request(), snapshot: PolicySnapshot(), configuration: config, now: now)
        #expect(!byGovernance.mayExecute)
        #expect(byGovernance.rule == "dry-run.governance")
    }

    @Test func stateMachineTransitionsAreData() {
        #expect(RemediationState.queued.canTransition(to: .approved))
        #expect(!RemediationState.queued.canTransition(to: .running))
        #expect(RemediationState.approved.canTransition(to: .running))
        #expect(!RemediationState.running.canTransition(to: .queued))
        #expect(RemediationState.running.canTransition(to: .interrupted))
        #expect(!RemediationState.interrupted.canTransition(to: .running))
        #expect(RemediationState.predecessors(of: .running) == [.approved])
        #expect(Set(RemediationState.predecessors(of: .refused)) == [.queued, .approved, .running])
        for state in [RemediationState.succeeded, .failed, .rolledBack, .rejected, .expired, .refused, .interrupted] { #expect(state.isTerminal) }
        #expect(RemediationState.rolledBack.rawValue == "rolled_back")
        #expect(ExecutionOutcome.unknown(reason: "x").state == .failed)
        #expect(ExecutionOutcome.rollbackFailed(reason: "a", rollbackReason: "b").state == .failed)
    }

    @Test func approvalsAreBoundToTheRenderedActionAndExpire() throws {
        let action = ActionDefinition(name: "restart", type: "service-restart", executor: .exec(ExecSpec(command: ["kubectl", "scale", "--replicas={param.replicas}", "deploy/{service}"])))
        let rendered = try ActionRenderer.render(action, context: TemplateContext(service: "checkout", parameters: ["replicas": "3"]))
        let policy = ApprovalPolicy()
        let approval = Approval(renderedHash: rendered.hash, requester: "alice", approver: "bob", approvedAt: now)
        #expect(policy.validate(approval, currentHash: rendered.hash, now: now.addingTimeInterval(60)).valid)
        // A changed parameter changes the hash.
        let changed = try ActionRenderer.render(action, context: TemplateContext(service: "checkout", parameters: ["replicas": "30"]))
        #expect(changed.hash != rendered.hash)
        #expect(policy.validate(approval, currentHash: changed.hash, now: now).rule == "approval.hash-mismatch")
        // A changed executor configuration too.
        var edited = action
        edited.executor = .exec(ExecSpec(command: ["kubectl", "scale", "--replicas={param.replicas}", "deployment/{service}"]))
        #expect(try ActionRenderer.render(edited, context: TemplateContext(service: "checkout", parameters: ["replicas": "3"])).hash != rendered.hash)
        let expired = policy.validate(approval, currentHash: rendered.hash, now: now.addingTimeInterval(3600))
        #expect(!expired.valid && expired.expired && expired.rule == "approval.expired")
        let future = Approval(renderedHash: rendered.hash, requester: "alice", approver: "bob", approvedAt: now.addingTimeInterval(3600))
        #expect(policy.validate(future, currentHash: rendered.hash, now: now).rule == "approval.from-the-future")
        let selfApproved = Approval(renderedHash: rendered.hash, requester: "alice", approver: "alice", approvedAt: now)
        #expect(policy.validate(selfApproved, currentHash: rendered.hash, now: now).rule == "approval.self-approval")
        #expect(ApprovalPolicy(allowSelfApproval: true).validate(selfApproved, currentHash: rendered.hash, now: now).valid)
        #expect(policy.pendingExpired(queuedAt: now, now: now.addingTimeInterval(86_400)))
        #expect(!policy.pendingExpired(queuedAt: now, now: now.addingTimeInterval(86_399)))
    }

    @Test func catalogueCarriesTheArchitectureTiers() {
        #expect(ActionCatalogue.builtIn.count == 15)
        #expect(ActionCatalogue.defaultTier(of: "scale-up") == .low)
        #expect(ActionCatalogue.defaultTier(of: "config-reload") == .medium)
        #expect(ActionCatalogue.defaultTier(of: "data-migration") == .high)
        #expect(ActionCatalogue.defaultTier(of: "credential-rotation") == .critical)
        #expect(ActionDefinition(name: "x", type: "custom-thing", executor: .exec(ExecSpec(command: ["true"]))).tier == .medium)
    }
}
