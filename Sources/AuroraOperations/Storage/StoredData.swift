import AuroraCore
import AuroraLearning
import AuroraStore
import Foundation

/// What operators add to and take from the database by hand — metric dumps, series, learned patterns —
/// each one transaction with its audit entry. These need no configuration (a broken aurora.yaml must
/// not stop an operator from storing or dropping data), so they take the store, who acts and when.
package enum StoredData {
    /// Stores series (`aurora ingest`, `aurora ingest --prometheus`): `subject` names the input and
    /// `detail` what it held, for the audit trail.
    package static func ingest(_ series: [Series], serviceLabel: String, subject: String, detail: String,
                               store: Store, actor: String, at now: Date) throws -> StoreWriteSummary {
        try store.database.write { db -> StoreWriteSummary in
            let summary = try SeriesStore.store(series, serviceLabel: serviceLabel, at: now, in: db)
            try AuditLog.append(AuditEntry(at: now, actor: actor, action: "ingest", subject: subject, detail: detail,
                                           outcome: "\(summary.newPoints) new, \(summary.updatedPoints) updated"), to: db)
            return summary
        }
    }

    /// Drops stored series and their points (`aurora series drop`); `selector` is what chose them. The
    /// watcher's absent-data baselines forget them in the same transaction: a retired series is not
    /// reported absent when it leaves the source.
    package static func dropSeries(ids: [Int64], selector: String, store: Store, actor: String, at now: Date) throws -> Int {
        try store.database.write { db -> Int in
            let chosen = Set(ids)
            let keys = try SeriesStore.list(in: db).filter { chosen.contains($0.id) }.map(\.key)
            let count = try SeriesStore.drop(ids: ids, in: db)
            try PresenceBaselineStore.forget(series: keys, in: db)
            try AuditLog.append(AuditEntry(at: now, actor: actor, action: "series.drop", subject: selector,
                                           detail: "\(count) series", outcome: "dropped"), to: db)
            return count
        }
    }

    /// Saves learned patterns read from a pattern file (`aurora patterns import`); their new ids.
    package static func importPatterns(_ patterns: [LearnedPattern], source: String, store: Store, actor: String, at now: Date) throws -> [Int64] {
        try store.database.write { db -> [Int64] in
            let ids = try patterns.map { try LearnedPatternStore.save(LearningBridge.row($0), in: db) }
            try AuditLog.append(AuditEntry(at: now, actor: actor, action: "patterns.import", subject: source,
                                           detail: Plural.count(ids.count, "pattern"), outcome: "imported"), to: db)
            return ids
        }
    }

    /// Forgets a learned pattern (`aurora patterns forget`).
    package static func forgetPattern(id: Int64, name: String, store: Store, actor: String, at now: Date) throws {
        try store.database.write { db in
            try LearnedPatternStore.forget(id, in: db)
            try AuditLog.append(AuditEntry(at: now, actor: actor, action: "patterns.forget", subject: "pattern:\(id)",
                                           detail: name, outcome: "forgotten"), to: db)
        }
    }
}
