import Foundation
import GRDB

/// The Overview tab's figures. Each is an index range count, so the whole overview stays fast at
/// millions of calls.
public struct Overview: Sendable {
    /// A notice that needs an answer, and why.
    public struct PendingNotice: Hashable, Sendable {
        public enum Reason: String, Hashable, Sendable, Codable {
            /// Needs acknowledging, and this version has no acknowledgement or objection yet.
            case needsAcknowledgement = "needs_acknowledgement"
            /// Its objection window is still open and nobody has answered this version.
            case objectionWindowOpen = "objection_window_open"
        }
        public var id: Int64
        public var title: String
        public var version: String
        public var kind: NoticeKind
        public var reason: Reason
        public var objectionDeadline: Date?
    }

    /// Calls per local day, oldest first; the last entry is today.
    public var callsPerDay: [Int]
    /// The first day of `callsPerDay`.
    public var firstDay: LocalDate
    /// Since Monday 00:00 in the workspace zone.
    public var missedCallsThisWeek: Int
    public var callbacksRequestedThisWeek: Int
    /// Recordings that will be purged within the next 7 days (not on legal hold).
    public var recordingsExpiringSoon: Int
    /// Recordings past their expiry that the next purge will remove.
    public var recordingsOverdue: Int
    /// Auto-Send drafts waiting for a person.
    public var draftsWaiting: Int
    public var noticesNeedingAnswer: [PendingNotice]
    /// False when the workspace has turned call recording off.
    public var recordingEnabled = true

    public static let histogramDays = 90

    /// Every figure is a count over an index range; tests check each plan.
    enum SQL {
        static let callsBetween = "SELECT COUNT(*) FROM calls WHERE started_at >= ? AND started_at < ?"
        static let callsWithOutcomeSince = "SELECT COUNT(*) FROM calls WHERE outcome = ? AND started_at >= ?"
        // Same predicate as the recordings_due_bytes partial index.
        static let recordingsExpiringBetween = """
            SELECT COUNT(*) FROM recordings WHERE purged_at IS NULL AND legal_hold = 0 AND expires_at >= ? AND expires_at < ?
            """
        static let recordingsExpiredBefore = """
            SELECT COUNT(*) FROM recordings WHERE purged_at IS NULL AND legal_hold = 0 AND expires_at < ?
            """
        static let draftsWaiting = "SELECT COUNT(*) FROM drafts WHERE state = 'waiting'"
    }

    static func load(clock: BrowseClock, in db: Database) throws -> Overview {
        let today = clock.today
        let firstDay = today.adding(days: -(histogramDays - 1))
        // Day boundaries by the calendar: across a clock change a day lasts 23 or 25 hours.
        let boundaries = (0...histogramDays).map { clock.startOfDay(firstDay.adding(days: $0)) }
        let statement = try db.cachedStatement(sql: SQL.callsBetween)
        var perDay: [Int] = []
        perDay.reserveCapacity(histogramDays)
        for day in 0..<histogramDays {
            perDay.append(try Int.fetchOne(statement, arguments: [boundaries[day], boundaries[day + 1]]) ?? 0)
        }

        let weekStart = clock.startOfWeek
        let now = clock.nowSeconds
        let byOutcome = try db.cachedStatement(sql: SQL.callsWithOutcomeSince)
        let missed = try Int.fetchOne(byOutcome, arguments: [CallOutcome.missed.rawValue, weekStart]) ?? 0
        let callbacks = try Int.fetchOne(byOutcome, arguments: [CallOutcome.callbackRequested.rawValue, weekStart]) ?? 0
        let expiring = try Int.fetchOne(db, sql: SQL.recordingsExpiringBetween, arguments: [now, now + 7 * 86_400]) ?? 0
        let overdue = try Int.fetchOne(db, sql: SQL.recordingsExpiredBefore, arguments: [now]) ?? 0
        let drafts = try Int.fetchOne(db, sql: SQL.draftsWaiting) ?? 0
        var overview = Overview(callsPerDay: perDay, firstDay: firstDay, missedCallsThisWeek: missed,
                                callbacksRequestedThisWeek: callbacks, recordingsExpiringSoon: expiring,
                                recordingsOverdue: overdue, draftsWaiting: drafts,
                                noticesNeedingAnswer: try pendingNotices(now: now, in: db))
        overview.recordingEnabled = try RecordingPolicy.current(db).recordingEnabled
        return overview
    }

    /// Notices whose current version nobody has acknowledged or objected to, and which either need
    /// acknowledging or still have an open objection window.
    static func pendingNotices(now: Int64, in db: Database) throws -> [PendingNotice] {
        try GRDB.Row.fetchAll(db, sql: """
            SELECT n.id, n.title, n.version, n.kind, n.needs_acknowledgement, n.objection_deadline
            FROM notices AS n
            WHERE (n.needs_acknowledgement = 1 OR n.objection_deadline > ?)
              AND NOT EXISTS (SELECT 1 FROM notice_responses AS r
                              WHERE r.notice_id = n.id AND r.version = n.version
                                AND r.response IN ('acknowledged', 'objected'))
            ORDER BY COALESCE(n.objection_deadline, n.effective_at), n.id
            """, arguments: [now]).map { row in
            let deadline: Int64? = row["objection_deadline"]
            let needsAcknowledgement: Bool = row["needs_acknowledgement"]
            return PendingNotice(id: row["id"], title: row["title"], version: row["version"],
                                 kind: try CallRow.decode(row["kind"]),
                                 reason: needsAcknowledgement ? .needsAcknowledgement : .objectionWindowOpen,
                                 objectionDeadline: deadline.map { Date(timeIntervalSince1970: TimeInterval($0)) })
        }
    }
}
