import Foundation
import GRDB

extension Workspace {
    /// Puts `count` sends in the Auto-Send outbox, due at `dueAt`, each answering an inbound
    /// message from its own contact, with its draft and its "send" evaluation: the rows the
    /// arrival step makes when a draft passes every gate. For the delivery tests and the delivery
    /// benchmark until that step lands (it is built on another branch); not a production path.
    /// Returns the outbox ids, in order.
    @discardableResult
    package func queueAutoSendForDelivery(_ count: Int, dueAt: Date, channel: Channel = .sms,
                                          body: @Sendable (Int) -> String = { "Thanks, we can come on Tuesday (\($0))." })
        throws -> [Int64] {
        let due = Int64(dueAt.timeIntervalSince1970)
        return try dbPool.write { db in
            var ids: [Int64] = []
            ids.reserveCapacity(count)
            let settings = try AutoSendSettings.load(db).traceJSON
            for index in 0..<count {
                let phone = "+4477009\(String(format: "%05d", index % 100_000))"
                try db.execute(sql: "INSERT INTO contacts (name, phone, email, created_at) VALUES (?, ?, ?, ?)",
                               arguments: ["Delivery Test \(index)", phone, "delivery\(index)@example.test", due - 600])
                let contact = db.lastInsertedRowID
                try db.execute(sql: """
                    INSERT INTO threads (contact_id, channel, last_activity_at, unread_count, message_count) VALUES (?, ?, ?, 0, 1)
                    """, arguments: [contact, channel.rawValue, due - 300])
                let thread = db.lastInsertedRowID
                let address = channel == .email ? "delivery\(index)@example.test" : phone
                try db.execute(sql: """
                    INSERT INTO messages (thread_id, channel, direction, from_address, to_address, contact_id, body, sent_at,
                        delivery_status) VALUES (?, ?, 'inbound', ?, 'business', ?, 'Can you come next week?', ?, 'received')
                    """, arguments: [thread, channel.rawValue, address, contact, due - 300])
                let inbound = db.lastInsertedRowID
                let correlation = "corr-" + UUID().uuidString.lowercased()
                let text = body(index)
                try db.execute(sql: """
                    INSERT INTO drafts (target_kind, target_id, contact_id, channel, intent, confidence, body, state,
                        correlation_id, created_at) VALUES ('message', ?, ?, ?, 'general_enquiry', 0.95, ?, 'waiting', ?, ?)
                    """, arguments: [inbound, contact, channel.rawValue, text, correlation, due - 120])
                let draft = db.lastInsertedRowID
                try db.execute(sql: """
                    INSERT INTO autosend_evaluations (draft_id, correlation_id, evaluated_at, outcome, send_at, deciding_gate,
                        verdicts, settings) VALUES (?, ?, ?, 'send', ?, NULL, '{}', ?)
                    """, arguments: [draft, correlation, due - 60, due, settings])
                let evaluation = db.lastInsertedRowID
                try db.execute(sql: """
                    INSERT INTO autosend_outbox (evaluation_id, draft_id, correlation_id, idempotency_key, channel, to_address,
                        body, state, due_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'due', ?)
                    """, arguments: [evaluation, draft, correlation, "idem-" + UUID().uuidString.lowercased(),
                                     channel.rawValue, address, text, due])
                ids.append(db.lastInsertedRowID)
            }
            return ids
        }
    }
}
