import Foundation
import GRDB

/// Everything the Retention tab shows, read in one snapshot.
public struct RetentionOverview: Equatable, Sendable, Codable {
    public static let expiringWindowDays = 7

    public struct Amount: Equatable, Sendable, Codable {
        public let recordings: Int
        public let bytes: Int64
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
        /// Due recordings the run could not delete (they stay stored and due).
        public let skipped: PurgeSkips
        /// Calls whose summary and transcript went, and messages whose body went (text retention).
        public var callTexts = 0
        public var messageTexts = 0
    }

    public let recordingEnabled: Bool
    public let period: RetentionPeriod
    /// Past expiry and not held: the next purge run (console start, cron, timer) deletes these.
    public let dueNow: Amount
    /// When the earliest stored recording that is not yet due expires; nil when none can expire
    /// (none stored, or all on legal hold).
    public let nextExpiry: Date?
    public let expiringSoon: Expiring
    public let onHold: [LegalHold.Held]
    public let lastPurge: LastPurge?
    /// How long call summaries and transcripts, and message bodies, are kept (nil: off).
    public let textRetention: TextRetentionSettings
    /// Items whose text the next purge removes, per kind (0 when its period is off).
    public let textDue: TextDue

    /// What the search still owes (removed text's words in its stored pages, unfinished erasures).
    public var searchDebt = SearchDebt.none

    public struct TextDue: Equatable, Sendable, Codable {
        public let calls: Int
        public let messages: Int
    }

    private enum CodingKeys: String, CodingKey {
        case recordingEnabled, period = "retentionDays", dueNow, nextExpiry, expiringSoon, onHold, lastPurge
        case textRetention, textDue, searchDebt
    }

    static func load(_ db: Database, now: Date) throws -> RetentionOverview {
        let nowSeconds = RecordingExpiry.epochSeconds(now)
        let enabled = try Bool.fetchOne(db, sql: "SELECT recording_enabled FROM workspace WHERE id = 1") ?? true
        let period = try RetentionSettings.currentPeriod(db)

        let due = try Row.fetchOne(db, sql: """
            SELECT COUNT(*), TOTAL(bytes) FROM recordings
            WHERE purged_at IS NULL AND legal_hold = 0 AND expires_at <= ?
            """, arguments: [nowSeconds])!
        let next = try Int64.fetchOne(db, sql: """
            SELECT MIN(expires_at) FROM recordings WHERE purged_at IS NULL AND legal_hold = 0 AND expires_at > ?
            """, arguments: [nowSeconds])

        let windowEnd = nowSeconds + Int64(expiringWindowDays) * RecordingExpiry.secondsPerDay
        let expiring = try Row.fetchOne(db, sql: """
            SELECT COUNT(*), TOTAL(bytes) FROM recordings
            WHERE purged_at IS NULL AND legal_hold = 0 AND expires_at > ? AND expires_at <= ?
            """, arguments: [nowSeconds, windowEnd])!

        var overview = RetentionOverview(
            recordingEnabled: enabled, period: period,
            dueNow: Amount(recordings: due[0], bytes: Int64(due[1] as Double)),
            nextExpiry: next.map { Date(timeIntervalSince1970: TimeInterval($0)) },
            expiringSoon: Expiring(days: expiringWindowDays, recordings: expiring[0], bytes: Int64(expiring[1] as Double)),
            onHold: try LegalHold.list(db), lastPurge: try lastPurge(db),
            textRetention: try TextRetentionSettings.load(db), textDue: try textDue(db, now: now))
        overview.searchDebt = try SearchDebt.read(db)
        return overview
    }

    /// What the next purge takes of each kind of text past its own period.
    static func textDue(_ db: Database, now: Date) throws -> TextDue {
        let settings = try TextRetentionSettings.load(db)
        let nowSeconds = RecordingExpiry.epochSeconds(now)
        func due(_ kind: TextKind) throws -> Int {
            guard let period = settings[kind] else { return 0 }
            return try Int.fetchOne(db, sql: TextPurge.windowSQL(kind), arguments: [Int64.min, nowSeconds - period.seconds]) ?? 0
        }
        return TextDue(calls: try due(.transcripts), messages: try due(.messages))
    }

    /// Every stored recording not on legal hold: what "disable recording and delete now" removes.
    static func storedAmount(_ db: Database) throws -> Amount {
        let row = try Row.fetchOne(db, sql: "SELECT TOTAL(recordings), TOTAL(bytes) FROM recording_day_totals")!
        return Amount(recordings: Int(row[0] as Double), bytes: Int64(row[1] as Double))
    }

    /// The latest purge run's result, as its audit event recorded it.
    static func lastPurge(_ db: Database) throws -> LastPurge? {
        guard let event = try AuditEvent.filter(Column("action") == AuditAction.purgeRun.rawValue)
            .order(Column("seq").desc).fetchOne(db) else { return nil }
        let details = (try? JSONDecoder().decode([String: AuditValue].self, from: Data(event.details.utf8))) ?? [:]
        func int(_ key: String) -> Int64 { if case .int(let value) = details[key] { value } else { 0 } }
        func bool(_ key: String) -> Bool { if case .bool(let value) = details[key] { value } else { false } }
        return LastPurge(at: event.at, actor: event.actor, purged: Int(int("purged")), bytes: int("bytes"),
                         missingFiles: Int(int("missing_files")), cancelled: bool("cancelled"),
                         interruptions: Int(int("interruptions")), skipped: PurgeSkips(auditDetails: details),
                         callTexts: Int(int("call_texts")), messageTexts: Int(int("message_texts")))
    }
}
