extension DemoFleet {
    /// The rule an operator of this fleet writes for its fault: postgres' pool this full is a fault. The
    /// loop acts alone on a fault a rule vouches for (`FaultReality`); an anomaly alone is at most about
    /// 70% likely to be one. As a `detection:` block of the `aurora:` section, two spaces in.
    package static let poolRuleYAML = """
          detection:
            rules:
              # The operator's line: a pool this full is a fault. aurora acts alone on a fault a rule vouches
              # for; an anomaly alone is at most about 70% likely to be one, and a person is asked.
              - name: \(poolRuleName)
                match: connection_pool_saturation{service="postgres"}
                above: 0.9

        """

    /// The rule's name, as the loop's output names it.
    package static let poolRuleName = "postgres-pool-exhausted"
}
