import AuroraCore
import Foundation

/// A learned pattern as stored; symptoms are `service|role|direction` lines.
package struct LearnedPatternRow: Sendable, Equatable {
    package var id: Int64
    package var name: String
    package var symptoms: [String]
    package var rootService: String?
    package var cause: String
    package var remediation: String?
    package var risk: String
    package var occurrences: Int
    package var successes: Int
    package var failures: Int
    package var falsePositives: Int
    package var meanRecoverySeconds: Double
    package var diagnosisConfidence: Double?
    package var firstSeen: Date
    package var lastSeen: Date

    package init(id: Int64, name: String, symptoms: [String], rootService: String?, cause: String, remediation: String?, risk: String,
                occurrences: Int, successes: Int, failures: Int, falsePositives: Int, meanRecoverySeconds: Double,
                diagnosisConfidence: Double? = nil, firstSeen: Date, lastSeen: Date) {
        self.id = id
        self.name = name
        self.symptoms = symptoms
        self.rootService = rootService
        self.cause = cause
        self.remediation = remediation
        self.risk = risk
        self.occurrences = occurrences
        self.successes = successes
        self.failures = failures
        self.falsePositives = falsePositives
        self.meanRecoverySeconds = meanRecoverySeconds
        self.diagnosisConfidence = diagnosisConfidence
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
    }
}

/// Learned patterns in the database.
package enum LearnedPatternStore {
    static let columns = """
        id, name, symptoms, root_service, cause, remediation, risk, occurrences, successes, failures, false_positives,
        mean_recovery_s, first_seen_ms, last_seen_ms, diagnosis_confidence
        """

    static func decode(_ row: SQLRow) -> LearnedPatternRow {
        LearnedPatternRow(
            id: row[0].int64 ?? 0, name: row[1].string ?? "", symptoms: (row[2].string ?? "").split(separator: "\n").map(String.init),
            rootService: row[3].string, cause: row[4].string ?? "", remediation: row[5].string, risk: row[6].string ?? "medium",
            occurrences: Int(row[7].int64 ?? 0), successes: Int(row[8].int64 ?? 0), failures: Int(row[9].int64 ?? 0),
            falsePositives: Int(row[10].int64 ?? 0), meanRecoverySeconds: row[11].double ?? 0, diagnosisConfidence: row[14].double,
            firstSeen: Date(unixMilliseconds: row[12].int64 ?? 0), lastSeen: Date(unixMilliseconds: row[13].int64 ?? 0))
    }

    package static func all(in db: Database) throws -> [LearnedPatternRow] {
        try db.query("SELECT \(columns) FROM learned_patterns ORDER BY id").map(decode)
    }

    package static func get(_ id: Int64, in db: Database) throws -> LearnedPatternRow? {
        try db.query("SELECT \(columns) FROM learned_patterns WHERE id = ?", [.integer(id)]).first.map(decode)
    }

    /// Inserts (id 0) or updates a pattern; returns its id.
    @discardableResult
    package static func save(_ row: LearnedPatternRow, in db: Database) throws -> Int64 {
        let values: [SQLValue] = [
            .text(row.name), .text(row.symptoms.joined(separator: "\n")), .optional(row.rootService), .text(row.cause),
            .optional(row.remediation), .text(row.risk), .integer(Int64(row.occurrences)), .integer(Int64(row.successes)),
            .integer(Int64(row.failures)), .integer(Int64(row.falsePositives)), .real(row.meanRecoverySeconds),
            .integer(row.firstSeen.unixMilliseconds), .integer(row.lastSeen.unixMilliseconds), .optional(row.diagnosisConfidence),
        ]
        if row.id == 0 {
            try db.run("""
                INSERT INTO learned_patterns (name, symptoms, root_service, cause, remediation, risk, occurrences, successes,
                    failures, false_positives, mean_recovery_s, first_seen_ms, last_seen_ms, diagnosis_confidence)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, values)
            return db.lastInsertRowID
        }
        try db.run("""
            UPDATE learned_patterns SET name = ?, symptoms = ?, root_service = ?, cause = ?, remediation = ?, risk = ?,
                occurrences = ?, successes = ?, failures = ?, false_positives = ?, mean_recovery_s = ?, first_seen_ms = ?,
                last_seen_ms = ?, diagnosis_confidence = ?
            WHERE id = ?
            """, values + [.integer(row.id)])
        return row.id
    }

    @discardableResult
    package static func forget(_ id: Int64, in db: Database) throws -> Bool {
        try db.run("DELETE FROM learned_patterns WHERE id = ?", [.integer(id)]) == 1
    }

    /// Records which learned pattern handled an incident.
    package static func link(incident: Int64, pattern: Int64, in db: Database) throws {
        try db.run("UPDATE incidents SET learned_pattern_id = ? WHERE id = ?", [.integer(pattern), .integer(incident)])
    }

    package static func linkedPattern(ofIncident incident: Int64, in db: Database) throws -> Int64? {
        try db.scalar("SELECT learned_pattern_id FROM incidents WHERE id = ?", [.integer(incident)])?.int64
    }

    /// How the incident was resolved, for the SLO report.
    package static func recordResolution(incident: Int64, by actor: String, automatically: Bool, in db: Database) throws {
        try db.run("UPDATE incidents SET resolved_by = ?, auto_resolved = ? WHERE id = ?",
                   [.text(actor), .integer(automatically ? 1 : 0), .integer(incident)])
    }
}
