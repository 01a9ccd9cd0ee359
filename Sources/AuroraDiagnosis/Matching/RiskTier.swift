/// How risky a pattern's remediation is; remediation policy decides what each level may do alone.
public enum RiskTier: String, Sendable, Equatable, CaseIterable, Codable {
    case low, medium, high, critical
}
