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
    /// In the last 7 days (today and the six days before it, in the workspace zone): the same
    /// span the Calls list's "7 days" shows, so a Monday morning still counts the weekend.
    public var missedCallsLast7Days: Int
    public var callbacksRequestedLast7Days: Int
    /// Recordings that will be purged within the next 7 days (not on legal hold).
    public var recordingsExpiringSoon: Int
    /// Recordings past their expiry that the next purge will remove.
    public var recordingsOverdue: Int
    /// Auto-Send drafts waiting for a person.
    public var draftsWaiting: Int
    public var noticesNeedingAnswer: [PendingNotice]
    /// The moment and the workspace's zone the figures were counted against: the Overview's
    /// lines write their dates in it, as every other screen does.
    public var clock: BrowseClock
    /// False when the workspace has turned call recording off.
    public var recordingEnabled = true
    /// Open data-subject requests overdue or due within seven days, soonest due first.
    public var dataSubjectRequestsDue: [DataSubjectRequestEntry] = []
    /// What the search still owes until `handlet purge` (or `dsr erase --finish`) pays it.
    public var searchDebt = SearchDebt.none

    public static let histogramDays = 90

    /// Every figure is a count over an index range; tests check each plan. `callsBetween` counts
    /// a day whose bounds are not on a quarter hour (`CallDayCounts`).
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

    static func load(clock: BrowseClock, notices: [NoticeSummary]? = nil, in db: Database) throws -> Overview {
        let today = clock.today
        let firstDay = today.adding(days: -(histogramDays - 1))
        // Day boundaries by the calendar: across a clock change a day lasts 23 or 25 hours.
        let boundaries = (0...histogramDays).map { clock.startOfDay(firstDay.adding(days: $0)) }
        // Summed from the quarter-hour counts the triggers keep (one read, not 90 range counts).
        let perDay = try CallDayCounts.count(between: boundaries, in: db)

        let weekStart = DateRange.last7Days.bounds(clock).from!
        let now = clock.nowSeconds
        let byOutcome = try db.cachedStatement(sql: SQL.callsWithOutcomeSince)
        let missed = try Int.fetchOne(byOutcome, arguments: [CallOutcome.missed.rawValue, weekStart]) ?? 0
        let callbacks = try Int.fetchOne(byOutcome, arguments: [CallOutcome.callbackRequested.rawValue, weekStart]) ?? 0
        let expiring = try Int.fetchOne(db, sql: SQL.recordingsExpiringBetween, arguments: [now, now + 7 * 86_400]) ?? 0
        let overdue = try Int.fetchOne(db, sql: SQL.recordingsExpiredBefore, arguments: [now]) ?? 0
        let drafts = try Int.fetchOne(db, sql: SQL.draftsWaiting) ?? 0
        var overview = Overview(callsPerDay: perDay, firstDay: firstDay, missedCallsLast7Days: missed,
                                callbacksRequestedLast7Days: callbacks, recordingsExpiringSoon: expiring,
                                recordingsOverdue: overdue, draftsWaiting: drafts,
                                noticesNeedingAnswer: try notices.map(pending) ?? pendingNotices(now: now, in: db), clock: clock)
        overview.recordingEnabled = try RecordingPolicy.current(db).recordingEnabled
        overview.dataSubjectRequestsDue = try DataSubjectRegister.list(db, filter: .dueSoon,
                                                                        now: Date(timeIntervalSince1970: TimeInterval(now)))
        overview.searchDebt = try SearchDebt.read(db)
        return overview
    }

    /// The latest version of each notice that still needs an answer (NoticeCatalogue): to be
    /// acknowledged, or a subprocessor change whose objection window is open. Soonest deadline first.
    static func pendingNotices(now: Int64, in db: Database) throws -> [PendingNotice] {
        pending(try NoticeCatalogue.summaries(now: Date(timeIntervalSince1970: TimeInterval(now)), in: db))
    }

    /// The notices among `summaries` that need an answer, soonest deadline first.
    static func pending(_ summaries: [NoticeSummary]) -> [PendingNotice] {
        summaries.compactMap { summary -> (Date, PendingNotice)? in
            switch summary.answer {
            case .none: return nil
            case .acknowledge(let effective):
                return (effective, PendingNotice(id: summary.id, title: summary.title, version: summary.version, kind: summary.kind,
                                                 reason: .needsAcknowledgement, objectionDeadline: nil))
            case .objectOrAccept(let deadline):
                return (deadline, PendingNotice(id: summary.id, title: summary.title, version: summary.version, kind: summary.kind,
                                                reason: .objectionWindowOpen, objectionDeadline: deadline))
            }
        }.sorted { ($0.0, $0.1.id) < ($1.0, $1.1.id) }.map(\.1)
    }
}
