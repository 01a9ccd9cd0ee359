import Foundation

/// What a kill switch covers.
package enum KillSwitchScope: Sendable, Hashable, CustomStringConvertible {
    /// Every remediation.
    case global
    /// Remediations of one service.
    case service(String)
    /// Remediations of one action type.
    case actionType(ActionType)

    /// `global`, `service:checkout`, `type:service-restart`: the form stored and shown.
    package var description: String {
        switch self {
        case .global: "global"
        case let .service(name): "service:\(name)"
        case let .actionType(type): "type:\(type.rawValue)"
        }
    }

    /// Parses the `description` form back.
    package init?(_ text: String) {
        if text == "global" {
            self = .global
        } else if text.hasPrefix("service:"), text.count > 8 {
            self = .service(String(text.dropFirst(8)))
        } else if text.hasPrefix("type:"), text.count > 5 {
            self = .actionType(ActionType(String(text.dropFirst(5))))
        } else {
            return nil
        }
    }
}

/// A kill switch that is on: no remediation in its scope may run until it is turned off or expires.
package struct KillSwitch: Sendable, Equatable {
    /// What it covers.
    package var scope: KillSwitchScope
    /// Why it was set.
    package var reason: String
    /// Who set it (`--actor`, `$USER`, or `aurora` when it tripped itself).
    package var setBy: String
    /// When it was set.
    package var setAt: Date
    /// When it stops applying (exclusive), or nil for "until turned off".
    package var expiresAt: Date?

    /// Creates a kill switch.
    package init(scope: KillSwitchScope, reason: String, setBy: String, setAt: Date, expiresAt: Date? = nil) {
        self.scope = scope
        self.reason = reason
        self.setBy = setBy
        self.setAt = setAt
        self.expiresAt = expiresAt
    }

    /// Whether it applies at `now`: set, and not yet expired (`now < expiresAt`).
    ///
    /// A switch set "in the future" (after a clock step back) still applies: refusing is the safe side.
    package func isActive(at now: Date) -> Bool {
        guard let expiresAt else { return true }
        return now < expiresAt
    }

    /// Whether it covers a remediation of `type` on `service`.
    package func covers(service: String, type: ActionType) -> Bool {
        switch scope {
        case .global: true
        case let .service(name): name == service
        case let .actionType(switchType): switchType == type
        }
    }
}
