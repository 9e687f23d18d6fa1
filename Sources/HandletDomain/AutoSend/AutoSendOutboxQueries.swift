import Foundation
import GRDB

/// The outbox by where its messages stand, at an instant: what a delivery pass would offer now,
/// what waits for its time (a later send time or a retry), and what has failed for good.
public struct DeliveryBacklog: Sendable, Equatable, Codable {
    /// Due now, or left `sending` by a pass that died: what the next pass offers.
    public var dueNow: Int
    /// Due later: a send time still to come, or a retry time after a failure.
    public var waiting: Int
    public var failed: Int
    /// Being handed to the gateway now, or abandoned there by a pass that died (counted in `dueNow` too).
    public var sending: Int
    public var gatewayConfigured: Bool
}

extension WorkspaceQuery where Value == DeliveryBacklog {
    /// Three indexed counts; the console asks it before starting a background pass.
    public static func deliveryBacklog(now: Date? = nil) -> Self {
        .reading(.browse, at: now) { db, now in
            let seconds = Int64(now.timeIntervalSince1970)
            let row = try Row.fetchOne(db, sql: """
                SELECT
                    COUNT(*) FILTER (WHERE state = 'sending' OR (state = 'due' AND COALESCE(next_attempt_at, due_at) <= ?)),
                    COUNT(*) FILTER (WHERE state = 'due' AND COALESCE(next_attempt_at, due_at) > ?),
                    COUNT(*) FILTER (WHERE state = 'failed'),
                    COUNT(*) FILTER (WHERE state = 'sending')
                FROM autosend_outbox WHERE state IN ('due', 'sending', 'failed')
                """, arguments: [seconds, seconds])!
            return DeliveryBacklog(dueNow: row[0], waiting: row[1], failed: row[2], sending: row[3],
                                   gatewayConfigured: try AutoSendSettings.load(db).gateway != nil)
        }
    }
}

/// A message the gateway has refused at least once: failed for good, or due again at its retry
/// time. What the queue shows under "failed" and "retrying", with the gateway's reason (already
/// sanitised when it was stored: one line, no control characters, at most 160 characters).
public struct DeliveryProblem: Sendable, Equatable, Codable {
    public let outboxId: Int64
    public let draftId: Int64
    public let correlationId: String
    public let channel: String
    /// `failed` or `due` (due again: `retryAt` says when).
    public let state: String
    public let attempts: Int
    public let lastError: String
    public let retryAt: Date?
}

extension WorkspaceQuery where Value == [DeliveryProblem] {
    /// Failed messages first, then those waiting to be tried again, newest problem first within each.
    public static func deliveryProblems(limit: Int = 100) -> Self {
        .reading(.browse) { db in
            try Row.fetchAll(db, sql: """
                SELECT id, draft_id, correlation_id, channel, state, attempts, last_error, next_attempt_at FROM autosend_outbox
                WHERE state IN ('failed', 'due') AND last_error IS NOT NULL
                ORDER BY state = 'failed' DESC, id DESC LIMIT ?
                """, arguments: [limit]).map { row in
                DeliveryProblem(outboxId: row["id"], draftId: row["draft_id"], correlationId: row["correlation_id"],
                                channel: row["channel"], state: row["state"], attempts: row["attempts"],
                                lastError: row["last_error"],
                                retryAt: (row["next_attempt_at"] as Int64?).map { Date(timeIntervalSince1970: TimeInterval($0)) })
            }
        }
    }
}
