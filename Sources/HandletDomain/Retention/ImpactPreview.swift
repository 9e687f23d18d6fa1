import Foundation
import GRDB

/// What changing the retention period would delete, shown before the change is saved.
///
/// The recordings counted are those that are safe today but would be due at the next purge under
/// the new period: stored, not on legal hold, created after `now - from` and no later than
/// `now - to`. A longer (or equal) period deletes nothing.
public struct ImpactPreview: Equatable, Sendable, Codable {
    public let from: RetentionPeriod
    public let to: RetentionPeriod
    public let computedAt: Date
    public let recordings: Int
    public let oldestCreatedAt: Date?
    public let newestCreatedAt: Date?
    public let bytes: Int64
    /// The workspace's zone, for the dates its text shows (not part of the JSON).
    public var zone = DataSubjectDue.london

    private enum CodingKeys: String, CodingKey {
        case from, to, computedAt, recordings, oldestCreatedAt, newestCreatedAt, bytes
    }

    public var isShortening: Bool { to < from }

    public init(from: RetentionPeriod, to: RetentionPeriod, computedAt: Date, recordings: Int,
                oldestCreatedAt: Date?, newestCreatedAt: Date?, bytes: Int64) {
        self.from = from; self.to = to; self.computedAt = computedAt; self.recordings = recordings
        self.oldestCreatedAt = oldestCreatedAt; self.newestCreatedAt = newestCreatedAt; self.bytes = bytes
    }

    static func compute(_ db: Database, from: RetentionPeriod, to: RetentionPeriod, now: Date) throws -> ImpactPreview {
        guard to < from else {
            return ImpactPreview(from: from, to: to, computedAt: now, recordings: 0, oldestCreatedAt: nil,
                                 newestCreatedAt: nil, bytes: 0)
        }
        let nowSeconds = RecordingExpiry.epochSeconds(now)
        let window = CreatedWindow(after: nowSeconds - from.seconds, through: nowSeconds - to.seconds)
        let totals = try window.totals(db)
        var preview = ImpactPreview(from: from, to: to, computedAt: now, recordings: totals.recordings,
                                    oldestCreatedAt: totals.oldest, newestCreatedAt: totals.newest, bytes: totals.bytes)
        preview.zone = try BrowseClock.current(db, now: now).timeZone
        return preview
    }
}

extension ImpactPreview {
    /// SQLite's plan for each query the preview runs, one "query: plan" line per step, so tests and
    /// the benchmark can show it searches indexes and never scans the recordings table.
    static func queryPlans(_ workspace: Workspace) throws -> [String] {
        try workspace.dbPool.read { db in
            try CreatedWindow.allSQL.flatMap { sql in
                let query = sql.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
                return try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: [0, 0]).map {
                    "\(query) => \($0["detail"] as String)"
                }
            }
        }
    }
}

/// Purgeable recordings (stored, not held) created in `(after, through]`, in whole UTC seconds.
///
/// Counting a million index entries costs far more than the 100 ms a preview may take, so whole
/// days come from `recording_day_totals` (kept by triggers) and only the partial first and last
/// days are scanned, through the covering index `recordings_expirable_by_created`.
struct CreatedWindow {
    let after: Int64
    let through: Int64

    struct Totals: Equatable {
        var recordings: Int
        var bytes: Int64
        var oldest: Date?
        var newest: Date?
    }

    func totals(_ db: Database) throws -> Totals {
        guard through > after else { return Totals(recordings: 0, bytes: 0) }
        let day = RecordingExpiry.secondsPerDay
        let firstSecond = after + 1
        let firstDay = firstSecond / day
        let lastDay = through / day
        var count = 0
        var bytes: Int64 = 0
        if firstDay == lastDay {
            (count, bytes) = try scan(db, after: after, through: through)
        } else {
            let head = try scan(db, after: after, through: (firstDay + 1) * day - 1)
            let tail = try scan(db, after: lastDay * day - 1, through: through)
            let middle = try Row.fetchOne(db, sql: Self.wholeDaysSQL, arguments: [firstDay, lastDay])!
            count = head.0 + tail.0 + Int(middle["recordings"] as Double)
            bytes = head.1 + tail.1 + Int64(middle["bytes"] as Double)
        }
        guard count > 0 else { return Totals(recordings: 0, bytes: 0) }
        let oldest = try Int64.fetchOne(db, sql: Self.oldestSQL, arguments: [after, through])
        let newest = try Int64.fetchOne(db, sql: Self.newestSQL, arguments: [after, through])
        return Totals(recordings: count, bytes: bytes,
                      oldest: oldest.map { Date(timeIntervalSince1970: TimeInterval($0)) },
                      newest: newest.map { Date(timeIntervalSince1970: TimeInterval($0)) })
    }

    private func scan(_ db: Database, after: Int64, through: Int64) throws -> (Int, Int64) {
        let row = try Row.fetchOne(db, sql: Self.partialDaySQL, arguments: [after, through])!
        return (row["recordings"], Int64(row["bytes"] as Double))
    }

    static let wholeDaysSQL = """
        SELECT TOTAL(recordings) AS recordings, TOTAL(bytes) AS bytes FROM recording_day_totals
        WHERE day > ? AND day < ?
        """
    static let partialDaySQL = """
        SELECT COUNT(*) AS recordings, TOTAL(bytes) AS bytes
        FROM recordings INDEXED BY recordings_expirable_by_created WHERE purged_at IS NULL AND legal_hold = 0 AND created_at > ? AND created_at <= ?
        """
    // MIN and MAX each stop at the first index entry in range. INDEXED BY: without ANALYZE the
    // planner once picked a non-covering index (v1's, dropped in v5) and read every table row.
    static let oldestSQL = """
        SELECT MIN(created_at) FROM recordings INDEXED BY recordings_expirable_by_created WHERE purged_at IS NULL AND legal_hold = 0
        AND created_at > ? AND created_at <= ?
        """
    static let newestSQL = """
        SELECT MAX(created_at) FROM recordings INDEXED BY recordings_expirable_by_created WHERE purged_at IS NULL AND legal_hold = 0
        AND created_at > ? AND created_at <= ?
        """
    static let allSQL = [wholeDaysSQL, partialDaySQL, oldestSQL, newestSQL]
}
