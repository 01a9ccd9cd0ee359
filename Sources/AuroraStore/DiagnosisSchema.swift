extension Schema {
    /// Version 4: incidents and their timelines (diagnosis).
    static let diagnosisMigrations: [Migration] = []
}
