import AuroraCore
import Foundation

/// The policy decision for a remediation, as a pure function of the request, a database snapshot,
/// the configuration and the time. No I/O, no clock: the store reads the snapshot and applies the
/// verdict in one transaction.
///
/// Order (issue 7): kill switches → freeze windows → rate limits → risk × confidence tier →
/// governance → stale incident → dry run. Kill switches, freezes and governance refuse at every stage;
/// rate limits refuse only what would execute now (a request that goes to the approval queue is checked
/// again when it is claimed, with `stage: .approvedExecution`); the stale-incident rule refuses only the
/// loop's own requests that would execute now (`StaleIncident`), never an approved one.
package enum RemediationPolicy {
    /// Decides `request` at `now`.
    package static func decide(
        _ request: PolicyRequest, snapshot: PolicySnapshot, configuration: PolicyConfiguration, now: Date
    ) -> PolicyDecision {
        var checks: [PolicyCheck] = []
        let tierDecision = TierMatrix.decide(tier: request.tier, confidence: request.confidence, tiers: configuration.tiers)

        func refuse(_ check: String, _ rule: String, _ reason: String, next: Date?) -> PolicyDecision {
            checks.append(PolicyCheck(check: check, passed: false, rule: rule, detail: reason))
            return PolicyDecision(verdict: .refused, mode: tierDecision.mode, dryRun: request.dryRun || configuration.governance.dryRun,
                                  rule: rule, reason: reason, nextAllowedAt: next, checks: checks)
        }

        // Kill switches.
        let switches = snapshot.killSwitches.filter { $0.isActive(at: now) && $0.covers(service: request.service, type: request.type) }
        if let first = switches.first {
            let expiries = switches.map(\.expiresAt)
            let next = expiries.contains(where: { $0 == nil }) ? nil : expiries.compactMap { $0 }.max()
            let until = first.expiresAt.map { " until \(iso($0))" } ?? ""
            return refuse("kill-switch", "killswitch.\(first.scope)",
                          "kill switch \(first.scope) is on\(until) (set by \(first.setBy): \(first.reason))", next: next)
        }
        checks.append(PolicyCheck(check: "kill-switch", passed: true, rule: "killswitch.none", detail: "no kill switch covers this request"))

        // Freeze windows.
        let frozen = snapshot.freezeWindows.compactMap { window in
            window.covers(service: request.service) ? window.occurrence(containing: now).map { (window, $0) } : nil
        }
        if let (window, interval) = frozen.first {
            let next = frozen.map(\.1.end).max()
            let why = window.reason.isEmpty ? "" : ": \(window.reason)"
            return refuse("freeze-window", "freeze.\(window.id)",
                          "freeze window \(window.id) is in force from \(iso(interval.start)) until \(iso(interval.end))\(why)", next: next)
        }
        checks.append(PolicyCheck(check: "freeze-window", passed: true, rule: "freeze.none", detail: "no freeze window in force"))

        // The tier gate decides whether this decision would execute now.
        let mode: ExecutionMode
        let tierRule: String
        switch request.stage {
        case .request:
            (mode, tierRule) = tierDecision
        case .approvedExecution:
            (mode, tierRule) = request.tier == .critical ? (.escalate, "tier.critical") : (.auto, "approval.granted")
        }
        let wouldExecute = mode == .auto || mode == .autoWithMonitoring

        // Rate limits.
        let rate = rateLimitRefusal(snapshot.rateLimits, limits: configuration.rateLimits, service: request.service, now: now)
        if let rate, wouldExecute {
            return refuse("rate-limit", rate.rule, rate.reason, next: rate.next)
        }
        checks.append(PolicyCheck(check: "rate-limit", passed: true, rule: rate == nil ? "rate.ok" : "rate.deferred",
                                  detail: rate.map { "not executing now; \($0.reason)" } ?? "within rate limits"))

        // Tier.
        checks.append(PolicyCheck(check: "tier", passed: true, rule: tierRule, detail: "tier \(request.tier.rawValue)"
                                  + (request.confidence.map { ", confidence \($0)" } ?? "") + " → \(mode.rawValue)"))

        // Governance.
        let governance = configuration.governance
        if let deny = governance.rules.first(where: { $0.effect == .deny && $0.matches(type: request.type, service: request.service, tier: request.tier) }) {
            return refuse("governance", "governance.\(deny.name)", "denied by governance rule \(deny.name)", next: nil)
        }
        let allows = governance.rules.filter { $0.effect == .allow }
        let governanceRule: String
        if allows.isEmpty {
            governanceRule = "governance.default-allow"
        } else if let allow = allows.first(where: { $0.matches(type: request.type, service: request.service, tier: request.tier) }) {
            governanceRule = "governance.\(allow.name)"
        } else {
            return refuse("governance", "governance.default-deny",
                          "no governance allow rule matches type \(request.type), service \(request.service), tier \(request.tier.rawValue)", next: nil)
        }
        if let cap = governance.maxServicesPerIncident, let incident = request.incident,
           !snapshot.servicesTouchedByIncident.contains(request.service), snapshot.servicesTouchedByIncident.count >= cap {
            return refuse("governance", "governance.max-services-per-incident",
                          "incident \(incident) already touched \(snapshot.servicesTouchedByIncident.count) services (limit \(cap))", next: nil)
        }
        checks.append(PolicyCheck(check: "governance", passed: true, rule: governanceRule, detail: "allowed by \(governanceRule)"))

        // Freshness comes last: every other rule let the request through, so a refusal can say what a
        // fresh incident would have got. Like rate limits it refuses only what would execute now: an
        // approval or an escalation puts a person in charge, who sees the incident's times.
        if request.stage == .request, let end = request.evidenceEnd, let limit = configuration.staleAfter {
            let stale = StaleIncident.isStale(end: end, limit: limit, now: now)
            if stale && wouldExecute {
                let otherwise = mode == .auto ? "execute automatically (\(tierRule))" : "execute with monitoring (\(tierRule))"
                return refuse(StaleIncident.check, StaleIncident.refusalRule,
                              StaleIncident.reason(incident: request.incident, end: end, limit: limit, otherwise: otherwise), next: nil)
            }
            checks.append(PolicyCheck(check: StaleIncident.check, passed: true, rule: stale ? "stale.deferred" : "stale.fresh",
                                      detail: "last anomaly at \(iso(end))" + (stale ? "; not executing now" : ", within \(DurationText.format(limit))")))
        }

        let verdict: PolicyVerdict
        let reason: String
        switch mode {
        case .auto, .autoWithMonitoring:
            verdict = .execute
            reason = mode == .auto ? "allowed: executes automatically (\(tierRule))" : "allowed: executes with monitoring (\(tierRule))"
        case .approval:
            verdict = .queueForApproval
            reason = "needs approval (\(tierRule))"
        case .escalate:
            verdict = .escalate
            reason = request.tier == .critical
                ? "critical actions are never executed by aurora: recorded and escalated to a human (tier.critical)"
                : "escalated to a human (\(tierRule))"
        }
        let dryRun = request.dryRun || governance.dryRun
        var rule = verdict == .execute ? governanceRule : tierRule
        var finalReason = reason
        if dryRun {
            let source = request.dryRun ? "dry-run.request" : "dry-run.governance"
            checks.append(PolicyCheck(check: "dry-run", passed: true, rule: source, detail: "nothing executes"))
            rule = source
            finalReason = Self.dryRunPrefix(source) + "would \(Self.wouldDo(verdict)); \(reason)"
        }
        return PolicyDecision(verdict: verdict, mode: mode, dryRun: dryRun, rule: rule, reason: finalReason, nextAllowedAt: nil, checks: checks)
    }

    /// What a dry run would have done, as it reads after "would": "execute", "wait for approval".
    /// How a dry run's reason begins, `dry run (dry-run.request): `; what follows says what the request would
    /// meet (`would wait for approval; needs approval (…)`).
    package static func dryRunPrefix(_ source: String) -> String { "dry run (\(source)): " }

    static func wouldDo(_ verdict: PolicyVerdict) -> String {
        switch verdict {
        case .execute: return "execute"
        case .queueForApproval: return "wait for approval"
        case .escalate: return "be escalated to a human"
        case .refused: return "be refused"
        }
    }

    /// The first rate limit that refuses, with the earliest time all time-based limits pass again.
    static func rateLimitRefusal(_ snapshot: RateLimitSnapshot, limits: RateLimits, service: String, now: Date)
        -> (rule: String, reason: String, next: Date?)?
    {
        var refusals: [(rule: String, reason: String)] = []
        var next: Date?
        var unknownNext = false
        if limits.failuresBeforeKillSwitch > 0, snapshot.consecutiveFailuresForService >= limits.failuresBeforeKillSwitch {
            refusals.append(("rate.consecutive-failures",
                             "\(snapshot.consecutiveFailuresForService) consecutive failures of \(service) (limit \(limits.failuresBeforeKillSwitch)); its kill switch must be cleared by a human"))
            unknownNext = true
        }
        if snapshot.running >= limits.maxConcurrent {
            refusals.append(("rate.max-concurrent", "\(snapshot.running) remediations running (limit \(limits.maxConcurrent))"))
            unknownNext = true
        }
        // Starts after `now` count too: after the clock steps back the window must not reopen.
        let windowStart = now.addingTimeInterval(-3600)
        let inWindow = snapshot.recentStarts.filter { $0 > windowStart }.sorted()
        if inWindow.count >= limits.maxPerHour {
            let freeing = inWindow[inWindow.count - limits.maxPerHour].addingTimeInterval(3600)
            refusals.append(("rate.per-hour", "\(inWindow.count) remediations started in the last hour (limit \(limits.maxPerHour)); next allowed at \(iso(freeing))"))
            next = max(next ?? freeing, freeing)
        }
        // A cooldown of 0 s means none: even a start recorded "after now" (another process's clock, or
        // ours stepped back) does not refuse.
        if limits.serviceCooldown > 0, let last = snapshot.lastStartForService {
            let allowed = last.addingTimeInterval(limits.serviceCooldown)
            if now < allowed {
                refusals.append(("rate.cooldown", "\(service) was remediated at \(iso(last)); cooldown \(Int(limits.serviceCooldown))s, next allowed at \(iso(allowed))"))
                next = max(next ?? allowed, allowed)
            }
        }
        guard let first = refusals.first else { return nil }
        let reason = refusals.map(\.reason).joined(separator: "; ")
        return (first.rule, reason, unknownNext ? nil : next)
    }

    /// ISO 8601 UTC with seconds, for reasons (the CLI adds local time where it prints).
    static func iso(_ date: Date) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let day = LocalTime.day(ofLocalSeconds: seconds)
        let rest = seconds - day * 86_400
        let (y, m, d) = civil(fromDays: day)
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(y)-\(two(m))-\(two(d))T\(two(rest / 3600)):\(two(rest % 3600 / 60)):\(two(rest % 60))Z"
    }

    private static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
