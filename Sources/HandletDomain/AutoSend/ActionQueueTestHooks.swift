import Foundation
import GRDB

/// What the queue's tests store directly: drafts as an outside system left them, and an
/// evaluation's outcome (blocked by a gate, or a send held in the outbox until a time), so the
/// console and CLI tests need no SQL of their own. Compiled only with HANDLET_TEST_HOOKS, as
/// `Store/TestHooks.swift` is: the release binary has none of them.
#if HANDLET_TEST_HOOKS
extension Workspace {
    /// Stores `drafts` as they are; their ids, in order.
    @discardableResult
    package func insertDrafts(_ drafts: [Draft]) throws -> [Int64] {
        try dbPool.write { db in
            try drafts.map { draft in
                var draft = draft
                try draft.insert(db)
                return draft.id!
            }
        }
    }

    /// Records that draft `id` was blocked by `gate`, as an evaluation would.
    package func blockDraftForTest(_ id: Int64, by gate: AutoSendGate, at: Date) throws {
        try dbPool.write { db in
            let correlation = try String.fetchOne(db, sql: "SELECT correlation_id FROM drafts WHERE id = ?", arguments: [id])!
            try db.execute(sql: "UPDATE drafts SET state = 'blocked' WHERE id = ?", arguments: [id])
            try db.execute(sql: """
                INSERT INTO autosend_evaluations (draft_id, correlation_id, evaluated_at, outcome, deciding_gate, verdicts, settings)
                VALUES (?, ?, ?, 'blocked', ?, '{}', '{}')
                """, arguments: [id, correlation, Int64(at.timeIntervalSince1970), gate.rawValue])
        }
    }

    /// Records that draft `id` was decided "send" and waits in the outbox until `due`.
    package func holdDraftForTest(_ id: Int64, until due: Date, at: Date) throws {
        try dbPool.write { db in
            let correlation = try String.fetchOne(db, sql: "SELECT correlation_id FROM drafts WHERE id = ?", arguments: [id])!
            try db.execute(sql: "UPDATE drafts SET state = 'auto_sent' WHERE id = ?", arguments: [id])
            try db.execute(sql: """
                INSERT INTO autosend_evaluations (draft_id, correlation_id, evaluated_at, outcome, send_at, deciding_gate, verdicts, settings)
                VALUES (?, ?, ?, 'send', ?, NULL, '{}', '{}')
                """, arguments: [id, correlation, Int64(at.timeIntervalSince1970), Int64(due.timeIntervalSince1970)])
            try db.execute(sql: """
                INSERT INTO autosend_outbox (evaluation_id, draft_id, correlation_id, idempotency_key, channel, to_address, body, state, due_at)
                SELECT ?, id, correlation_id, 'key-' || correlation_id, COALESCE(channel, 'sms'), '+447700900001', body, 'due', ? FROM drafts WHERE id = ?
                """, arguments: [db.lastInsertedRowID, Int64(due.timeIntervalSince1970), id])
        }
    }
}
#endif
