import Foundation
import GRDB

/// Everything the Retention tab shows, read in one snapshot.
public struct RetentionOverview: Equatable, Sendable, Codable {
    public static let expiringWindowDays = 7

    public enum NextPurge: Equatable, Sendable, Codable {
        /// Recordings are already past expiry: the next run (console start, cron, timer) deletes them.
        case due(recordings: Int, bytes: Int64)
        /// Nothing is due before this moment, when the earliest stored recording expires.
        case at(Date)
        /// No stored recording can expire (none stored, or all on legal hold).
        case nothingToPurge
    }

    public struct Expiring: Equatable, Sendable, Codable {
        public let days: Int
        public let recordings: Int
        public let bytes: Int64
    }

    public struct LastPurge: Equatable, Sendable, Codable {
        public let at: Date
        public let actor: String
        public let purged: Int
        public let bytes: Int64
        public let missingFiles: Int
        public let cancelled: Bool
        public let interruptions: Int
    }

    public let recordingEnabled: Bool
    public let period: RetentionPeriod
    public let nextPurge: NextPurge
    public let expiringSoon: Expiring
    public let onHold: [LegalHold.Held]
    public let lastPurge: LastPurge?

    public static func load(from workspace: Workspace, now: Date = Date()) throws -> RetentionOverview {
        try workspace.dbPool.read { db in try load(db, now: now) }
    }

    public static func load(_ db: Database, now: Date) throws -> RetentionOverview {
        let nowSeconds = RecordingExpiry.epochSeconds(now)
        let enabled = try Bool.fetchOne(db, sql: "SELECT recording_enabled FROM workspace WHERE id = 1") ?? true
        let period = try RetentionSettings.currentPeriod(db)

        let due = try Row.fetchOne(db, sql: """
            SELECT COUNT(*), TOTAL(bytes) FROM recordings
            WHERE purged_at IS NULL AND legal_hold = 0 AND expires_at <= ?
            """, arguments: [nowSeconds])!
        let nextPurge: NextPurge
        if (due[0] as Int) > 0 {
            nextPurge = .due(recordings: due[0], bytes: Int64(due[1] as Double))
        } else if let next = try Int64.fetchOne(db, sql: """
            SELECT MIN(expires_at) FROM recordings WHERE purged_at IS NULL AND legal_hold = 0 AND expires_at > ?
            """, arguments: [nowSeconds]) {
            nextPurge = .at(Date(timeIntervalSince1970: TimeInterval(next)))
        } else {
            nextPurge = .nothingToPurge
        }

        let windowEnd = nowSeconds + Int64(expiringWindowDays) * RecordingExpiry.secondsPerDay
        let expiring = try Row.fetchOne(db, sql: """
            SELECT COUNT(*), TOTAL(bytes) FROM recordings
            WHERE purged_at IS NULL AND legal_hold = 0 AND expires_at > ? AND expires_at <= ?
            """, arguments: [nowSeconds, windowEnd])!

        return RetentionOverview(
            recordingEnabled: enabled, period: period, nextPurge: nextPurge,
            expiringSoon: Expiring(days: expiringWindowDays, recordings: expiring[0], bytes: Int64(expiring[1] as Double)),
            onHold: try LegalHold.list(db), lastPurge: try lastPurge(db))
    }

    /// The latest purge run's result, as its audit event recorded it.
    static func lastPurge(_ db: Database) throws -> LastPurge? {
        guard let event = try AuditEvent.filter(Column("action") == RetentionAudit.purgeRun)
            .order(Column("seq").desc).fetchOne(db) else { return nil }
        let details = (try? JSONDecoder().decode([String: AuditValue].self, from: Data(event.details.utf8))) ?? [:]
        func int(_ key: String) -> Int64 { if case .int(let value) = details[key] { value } else { 0 } }
        func bool(_ key: String) -> Bool { if case .bool(let value) = details[key] { value } else { false } }
        return LastPurge(at: event.at, actor: event.actor, purged: Int(int("purged")), bytes: int("bytes"),
                         missingFiles: Int(int("missing_files")), cancelled: bool("cancelled"),
                         interruptions: Int(int("interruptions")))
    }
}
