import AuroraCore
import AuroraOperations

extension RemediationResult {
    /// The exit status: 128 + the signal when interrupted (130 SIGINT, 143 SIGTERM, 129 SIGHUP); 0 succeeded, queued or dry run that would pass; 77 refused, escalated, not
    /// pending, or a dry run that would be refused; 69 when the action ran and failed (failed, rolled
    /// back, rollback failed, unknown outcome).
    package var exitStatus: ExitStatus {
        if let signal = interruptedBy { return ExitStatus(interruptedBy: signal) }
        switch kind {
        case .queued, .rejected: return .success
        case .dryRun: return rule.hasPrefix("dry-run") ? .success : .refused
        case .refused, .escalated, .notPending, .expired: return .refused
        case .executed:
            guard let report else { return .software }
            switch report.outcome {
            case .succeeded: return .success
            case .notStarted: return .refused
            default: return .unavailable
            }
        }
    }
}
