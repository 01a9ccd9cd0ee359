extension Schema {
    /// Version 5 on: remediation requests, approvals, executions, freeze windows (remediation).
    static let remediationMigrations: [Migration] = []
}
