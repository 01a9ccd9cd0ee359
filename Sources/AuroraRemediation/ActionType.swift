import AuroraCore
/// The kind of an action (`service-restart`), used by kill switches, governance rules and the catalogue.
///
/// A plain string wrapper: configurations may define their own types; the built-in ones carry default
/// tiers in `ActionCatalogue`.
package struct ActionType: RawRepresentable, Hashable, Sendable, Comparable, Codable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    /// The type's name as written in configuration (`database-failover`).
    package let rawValue: String

    /// Wraps a type name.
    package init(rawValue: String) { self.rawValue = rawValue }

    /// Wraps a type name.
    package init(_ rawValue: String) { self.rawValue = rawValue }

    /// Allows `"service-restart"` where an `ActionType` is expected.
    package init(stringLiteral value: String) { self.rawValue = value }

    /// The type's name.
    package var description: String { rawValue }

    /// Orders by name, for stable listings.
    package static func < (lhs: ActionType, rhs: ActionType) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The built-in action types of the architecture and their default risk tiers.
package enum ActionCatalogue {
    /// Every built-in type with its default tier, in the architecture's order.
    package static let builtIn: [(type: ActionType, tier: RiskTier, summary: String)] = [
        ("scale-up", .low, "scale up replicas"),
        ("clear-cache", .low, "clear cache"),
        ("rolling-restart", .low, "rolling pod restart"),
        ("adjust-rate-limit", .low, "adjust rate limits"),
        ("service-restart", .medium, "service restart"),
        ("connection-pool-reset", .medium, "connection pool reset"),
        ("feature-flag-toggle", .medium, "feature flag toggle"),
        ("config-reload", .medium, "configuration hot reload"),
        ("database-failover", .high, "database failover"),
        ("traffic-redirect", .high, "traffic redirect"),
        ("full-deploy", .high, "full service deployment"),
        ("data-migration", .high, "data migration"),
        ("data-deletion", .critical, "data deletion (human only)"),
        ("credential-rotation", .critical, "credential rotation (human only)"),
        ("disaster-recovery", .critical, "disaster recovery (human only)"),
    ]

    private static let tiers: [ActionType: RiskTier] = Dictionary(
        uniqueKeysWithValues: builtIn.map { ($0.type, $0.tier) }
    )

    /// The default tier of a built-in type, or nil for a type the catalogue does not know.
    package static func defaultTier(of type: ActionType) -> RiskTier? { tiers[type] }
}
