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
