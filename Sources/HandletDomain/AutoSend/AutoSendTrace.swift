import Foundation
import GRDB

extension Schema {
    /// Migration `autosend-evaluations`: every decision is recorded before anything is sent, and a
    /// send is queued in the outbox under the draft's correlation id, which the sent message
    /// carries too, so any automatic message leads back to its evaluation and the settings in force.
    static func createAutoSendEvaluations(_ db: Database) throws {
        try db.execute(sql: """
        CREATE TABLE autosend_evaluations (
            id INTEGER PRIMARY KEY,
            draft_id INTEGER NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
            correlation_id TEXT NOT NULL,
            evaluated_at INTEGER NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('send', 'hold', 'blocked')),
            send_at INTEGER,
            deciding_gate TEXT,
            -- {"gate": "pass" | "n/a" | "hold" | "block" | "wait:UNIX"} in gate order.
            verdicts TEXT NOT NULL,
            -- The settings in force (switches, numbers, identifiers; no wording).
            settings TEXT NOT NULL,
            CHECK ((outcome = 'send') = (send_at IS NOT NULL))
        );
        CREATE INDEX autosend_evaluations_by_correlation ON autosend_evaluations(correlation_id, id);
        CREATE INDEX autosend_evaluations_by_draft ON autosend_evaluations(draft_id, id);

        -- due -> sending -> sent | failed, each step in its own transaction. The idempotency key is
        -- fixed when the row is made and stays the same across retries.
        CREATE TABLE autosend_outbox (
            id INTEGER PRIMARY KEY,
            evaluation_id INTEGER NOT NULL REFERENCES autosend_evaluations(id) ON DELETE CASCADE,
            draft_id INTEGER NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
            correlation_id TEXT NOT NULL UNIQUE,
            idempotency_key TEXT NOT NULL UNIQUE,
            channel TEXT NOT NULL CHECK (channel IN ('sms', 'whatsapp', 'email', 'webchat', 'review')),
            to_address TEXT NOT NULL,
            body TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('due', 'sending', 'sent', 'failed')),
            due_at INTEGER NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            next_attempt_at INTEGER,
            sent_at INTEGER,
            message_id INTEGER REFERENCES messages(id) ON DELETE SET NULL
        );
        CREATE INDEX autosend_outbox_due ON autosend_outbox(state, due_at);
        """)
    }
}

extension AutoSendVerdict {
    /// As stored in an evaluation: "pass", "n/a", "hold", "block" or "wait:UNIX".
    public var stored: String {
        if case .deferred(let until) = self { return "wait:\(Int64(until.timeIntervalSince1970))" }
        return label
    }
}

extension AutoSendDecision {
    /// Every gate's verdict as one JSON object in gate order, as an evaluation stores it.
    public var verdictsJSON: String {
        "{" + zip(AutoSendGate.allCases, verdicts).map { "\"\($0.rawValue)\":\"\($1.stored)\"" }.joined(separator: ",") + "}"
    }

    /// The time a send goes, nil unless the outcome is send.
    public var sendAt: Date? {
        if case .send(let at) = outcome { return at }
        return nil
    }
}

extension AutoSendSettings {
    /// The settings in force, as an evaluation stores them: switches, numbers and identifiers,
    /// never wording (the channel's wording is in the text that went out).
    public var traceJSON: String {
        var fields: [String: AuditValue] = [
            "master": .bool(masterEnabled),
            "intents": .string(enabledIntents.sorted().map(\.rawValue).joined(separator: ",")),
            "threshold_hundredths": .int(Int64(threshold.hundredths)),
            "channels": .string(channels.filter(\.enabled).map(\.channel.rawValue).joined(separator: ",")),
            "quiet_hours": .string(quietHours?.description ?? "none"),
            "time_zone": .string(timeZone.identifier),
            "per_contact_cap": .int(Int64(perContactCap.messages)),
        ]
        if let transparency { fields["transparency_by"] = .string(transparency.by) }
        if let complaints { fields["complaints_by"] = .string(complaints.by) }
        return AuditLog.canonicalJSON(fields)
    }
}
