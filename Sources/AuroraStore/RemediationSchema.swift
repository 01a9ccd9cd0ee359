extension Schema {
    /// Version 6 on: remediation requests, approvals, executions, freeze windows (remediation).
    static let remediationMigrations: [Migration] = []
}
