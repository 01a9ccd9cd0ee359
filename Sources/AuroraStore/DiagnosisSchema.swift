extension Schema {
    /// Version 5 on: incidents and their timelines (diagnosis).
    static let diagnosisMigrations: [Migration] = []
}
