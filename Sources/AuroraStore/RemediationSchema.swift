extension Schema {
    /// Version 4 on: remediation requests, approvals, executions, freeze windows (remediation).
    static let remediationMigrations: [Migration] = []
}
