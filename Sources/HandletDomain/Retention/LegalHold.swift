import Foundation
import GRDB

/// Legal hold: a recording on hold never expires and the purge never takes it, until released.
/// Placed and released by the commands `.placeLegalHold(onCall:reason:)` and
/// `.releaseLegalHold(onCall:reason:)`.
public enum LegalHold {
    public static let reasonLimit = 500

    /// A recording on hold, as the retention screen lists it.
    public struct Held: Equatable, Sendable, Codable {
        public let recordingId: Recording.ID
        public let callId: Call.ID
        public let callExternalId: String
        public let reason: String
        public let heldByEmail: String?
        public let heldAt: Date?
        /// When it would have expired, had it not been held.
        public let expiresAt: Date
    }

    public struct Released: Equatable, Sendable, Codable {
        public let recordingId: Recording.ID
        public let callId: Call.ID
        public let callExternalId: String
        public let expiresAt: Date
        /// Its expiry has passed, so the next purge deletes it.
        public let dueAtNextPurge: Bool
    }

    /// A trimmed reason, nil when blank; refused when longer than `reasonLimit`.
    static func validatedReason(_ text: String) throws -> String? {
        let reason = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard reason.count <= reasonLimit else { throw RetentionError.holdReasonTooLong(limit: reasonLimit) }
        return reason.isEmpty ? nil : reason
    }

    /// One hold in a recording's history, with its release once there is one.
    public struct HistoryEntry: Equatable, Sendable, Codable {
        public let placedByEmail: String?
        public let placedAt: Date
        public let reason: String
        public let releasedByEmail: String?
        public let releasedAt: Date?
        public let releaseReason: String?
    }

    /// Every hold ever placed on the call's recording, oldest first.
    static func history(ofCall id: Call.ID, _ db: Database) throws -> [HistoryEntry] {
        try Row.fetchAll(db, sql: """
            SELECT p.email, h.placed_at, \(TextWithNUL.select("h.reason")), r.email, h.released_at,
                   \(TextWithNUL.select("h.release_reason"))
            FROM legal_hold_history h JOIN recordings rec ON rec.id = h.recording_id
            LEFT JOIN users p ON p.id = h.placed_by LEFT JOIN users r ON r.id = h.released_by
            WHERE rec.call_id = ? ORDER BY h.placed_at, h.id
            """, arguments: [id]).map { row in
            HistoryEntry(placedByEmail: row[0], placedAt: Date(timeIntervalSince1970: TimeInterval(row[1] as Int64)),
                         reason: row.storedText("reason"), releasedByEmail: row[3],
                         releasedAt: (row[4] as Int64?).map { Date(timeIntervalSince1970: TimeInterval($0)) },
                         releaseReason: row.storedTextIfPresent("release_reason"))
        }
    }

    /// Every recording on hold, longest-held first.
    static func list(_ db: Database) throws -> [Held] {
        try Row.fetchAll(db, sql: """
            SELECT r.id, r.call_id, \(TextWithNUL.select("c.external_id")), \(TextWithNUL.select("r.hold_reason")), u.email, r.held_at, r.expires_at
            FROM recordings r JOIN calls c ON c.id = r.call_id LEFT JOIN users u ON u.id = r.held_by
            WHERE r.legal_hold = 1 AND r.purged_at IS NULL
            ORDER BY r.held_at, r.id
            """).map { row in
            Held(recordingId: row[0], callId: row[1], callExternalId: row.storedText("external_id"), reason: row.storedText("hold_reason"),
                 heldByEmail: row[4], heldAt: (row[5] as Int64?).map { Date(timeIntervalSince1970: TimeInterval($0)) },
                 expiresAt: Date(timeIntervalSince1970: TimeInterval(row[6] as Int64)))
        }
    }
}

extension WorkspaceCommand where Result == LegalHold.Held {
    /// Places a hold on the call's recording. The reason is required (at most `reasonLimit`
    /// characters) and kept in the hold's history, never in the audit log: it may name people.
    /// The hold on the call a person named (its external id or number), looked up after the role check.
    public static func placeLegalHold(onCallNamed reference: String, reason: String) -> Self {
        naming(.legalHold, audit: .legalHoldPlaced, { try CallReference.resolve(reference, in: $0).id! }) {
            placeLegalHold(onCall: $0, reason: reason)
        }
    }

    public static func placeLegalHold(onCall id: Call.ID, reason: String) -> Self {
        WorkspaceCommand(.legalHold, audit: .legalHoldPlaced, rules: { db, _ in
            // A stored recording (not purged, not missing), not already held.
            let call = try CallReference.call(id, in: db)
            guard try !CallReference.liveRecording(of: call, in: db).legalHold else { throw RetentionError.alreadyOnHold(call.externalId) }
        }) { db, environment in
            guard let reason = try LegalHold.validatedReason(reason) else { throw RetentionError.holdReasonRequired }
            let call = try CallReference.call(id, in: db)
            var recording = try CallReference.liveRecording(of: call, in: db)
            let actor = environment.actor
            recording.legalHold = true
            recording.holdReason = reason
            recording.heldBy = actor.userId?.rawValue
            recording.heldAt = Date(timeIntervalSince1970: RecordingExpiry.wholeSeconds(environment.now))
            try recording.update(db, columns: ["legal_hold", "hold_reason", "held_by", "held_at"])
            try db.execute(sql: """
                INSERT INTO legal_hold_history(recording_id, placed_by, placed_at, reason) VALUES (?, ?, ?, ?)
                """, arguments: [recording.id, actor.userId, RecordingExpiry.epochSeconds(environment.now), reason])
            let held = LegalHold.Held(recordingId: recording.id!, callId: call.id!, callExternalId: call.externalId,
                                      reason: reason, heldByEmail: actor.userId == nil ? nil : actor.auditName,
                                      heldAt: recording.heldAt, expiresAt: recording.expiresAt)
            return .changed(held, target: "call:\(call.id!)", details: ["recording_id": .int(recording.id!.rawValue)])
        }
    }
}

extension WorkspaceCommand where Result == LegalHold.Released {
    /// Releases the hold. The reason is required (at most `reasonLimit` characters) and kept in
    /// the hold's history, never in the audit log; the plan asks first, since the recording's
    /// expiry applies again from this moment, so one already past its expiry goes at the next purge.
    /// The release on the call a person named (its external id or number), looked up after the role check.
    public static func releaseLegalHold(onCallNamed reference: String, reason: String) -> Self {
        naming(.legalHold, audit: .legalHoldReleased, { try CallReference.resolve(reference, in: $0).id! }) {
            releaseLegalHold(onCall: $0, reason: reason)
        }
    }

    public static func releaseLegalHold(onCall id: Call.ID, reason: String) -> Self {
        WorkspaceCommand(.legalHold, audit: .legalHoldReleased, rules: { db, _ in
            let call = try CallReference.call(id, in: db)
            guard try CallReference.liveRecording(of: call, in: db).legalHold else { throw RetentionError.notOnHold(call.externalId) }
        }, outline: { db, environment in
            // A blank reason is bad input, said before the question is asked.
            guard try LegalHold.validatedReason(reason) != nil else { throw RetentionError.releaseReasonRequired }
            let call = try CallReference.call(id, in: db)
            let recording = try CallReference.liveRecording(of: call, in: db)
            return ChangeOutline(confirmation: LegalHold.releasing(call.externalId, expiresAt: recording.expiresAt,
                                                                   clock: try BrowseClock.current(db, now: environment.now)))
        }) { db, environment in
            guard let reason = try LegalHold.validatedReason(reason) else { throw RetentionError.releaseReasonRequired }
            let call = try CallReference.call(id, in: db)
            var recording = try CallReference.liveRecording(of: call, in: db)
            recording.legalHold = false
            recording.holdReason = nil
            recording.heldBy = nil
            recording.heldAt = nil
            try recording.update(db, columns: ["legal_hold", "hold_reason", "held_by", "held_at"])
            try db.execute(sql: """
                UPDATE legal_hold_history SET released_by = ?, released_at = ?, release_reason = ?
                WHERE recording_id = ? AND released_at IS NULL
                """, arguments: [environment.actor.userId, RecordingExpiry.epochSeconds(environment.now), reason, recording.id])
            let released = LegalHold.Released(recordingId: recording.id!, callId: call.id!, callExternalId: call.externalId,
                                              expiresAt: recording.expiresAt, dueAtNextPurge: recording.expiresAt <= environment.now)
            return .changed(released, target: "call:\(call.id!)",
                            details: ["recording_id": .int(recording.id!.rawValue), "with_reason": .bool(true)])
        }
    }
}

extension LegalHold {
    /// The question a release asks: what happens to the recording once no hold protects it.
    /// The expiry in the workspace's zone, saying which (`clock`: the workspace's, at now).
    static func releasing(_ externalId: String, expiresAt: Date, clock: BrowseClock) -> Confirmation {
        let due = expiresAt <= clock.now
        let then = due ? "Its expiry has passed, so the next purge deletes it."
            : "It expires again on \(DisplayText.zonedTimestamp(expiresAt, clock: clock))."
        return Confirmation(title: "Release the legal hold on \(externalId)",
                            question: "Release the legal hold on the recording of call \(externalId)? \(then)",
                            confirmLabel: "Release", declined: "Not released; the recording of call \(externalId) stays on legal hold.",
                            isDestructive: due)
    }
}
